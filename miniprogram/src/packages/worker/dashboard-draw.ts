/**
 * Drawing the dashboards' charts with uCharts (`@qiun/ucharts`, issue 14 item 1) on a 2d canvas
 * context — the mini-program's `Canvas type="2d"` node or an H5 `<canvas>`, the same calls on
 * both. Imported only by the worker's and the admin's dashboard pages, so the library stays in
 * those subpackages.
 */
import uCharts from '@qiun/ucharts';

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

export interface ChartSpec {
  kind: 'bar' | 'line';
  labels: string[];
  series: ChartSeries[];
  /** Bars stacked in one column per label (else side by side). */
  stacked?: boolean;
  /** A fixed top of the value axis (1 for rates), else from the data. */
  max?: number;
  /** Labels of the value axis (short: "50%", "120"). */
  axisFormat?: (v: number) => string;
}

/** What uCharts needs of a canvas: the standard 2d context and a settable pixel size. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

const shortNumber = (v: number) => String(Math.round(v * 10) / 10);

/** The uCharts options for a chart `width` × `height` CSS px drawn at `pixelRatio`. */
export function chartOptions(
  spec: ChartSpec,
  context: unknown,
  width: number,
  height: number,
  pixelRatio: number,
): Record<string, unknown> {
  const axisFormat = spec.axisFormat ?? shortNumber;
  const fixedMax = spec.max !== undefined;
  return {
    type: spec.kind === 'bar' ? 'column' : 'line',
    context,
    canvas2d: true,
    width: width * pixelRatio,
    height: height * pixelRatio,
    pixelRatio,
    animation: false,
    background: '#FFFFFF',
    fontSize: 12,
    fontColor: '#5C6270',
    padding: [12, 12, 4, 4],
    dataLabel: false,
    dataPointShape: true,
    legend: { show: false },
    categories: spec.labels,
    series: spec.series.map((s) => ({
      name: s.name,
      color: s.color,
      data: s.values.map((v) => Math.max(0, v)),
    })),
    xAxis: { disableGrid: true, fontColor: '#5C6270', rotateLabel: spec.labels.length > 6, rotateAngle: 40 },
    yAxis: {
      gridType: 'dash',
      dashLength: 4,
      splitNumber: 4,
      data: [
        {
          min: 0,
          ...(fixedMax ? { max: spec.max } : {}),
          fontColor: '#5C6270',
          formatter: (v: number) => axisFormat(Number(v)),
        },
      ],
    },
    extra: {
      column: { type: spec.stacked ? 'stack' : 'group', width: spec.stacked ? 24 : 14, seriesGap: 2 },
      line: { type: 'straight', width: 2 },
    },
  };
}

/**
 * Sizes the canvas to `width` × `height` CSS px at `pixelRatio` and draws the chart (uCharts draws
 * on the next timer tick). Returns false when there is nothing to draw on.
 */
export function drawChart(
  canvas: CanvasLike,
  width: number,
  height: number,
  pixelRatio: number,
  spec: ChartSpec,
): boolean {
  if (!(width > 0) || !(height > 0)) return false;
  const ratio = Math.min(3, Math.max(1, pixelRatio || 1));
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return false;
  new uCharts(chartOptions(spec, context, width, height, ratio));
  return true;
}
