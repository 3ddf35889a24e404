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
  /** Axis text in CSS px (12; larger in 关怀模式). */
  fontSize?: number;
}

/** What uCharts needs of a canvas: the standard 2d context and a settable pixel size. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

const shortNumber = (v: number) => String(Math.round(v * 10) / 10);

/** Value-axis divisions. */
export const AXIS_SPLITS = 4;

/**
 * The top of the value axis: the largest bar (a stack's sum when stacked) or point, rounded up so
 * each of the AXIS_SPLITS steps is a round number (1, 2, 2.5, 3, 4 or 5 × 10ⁿ; whole numbers from 1 up).
 */
export function axisTop(spec: Pick<ChartSpec, 'labels' | 'series' | 'stacked'>): number {
  const at = (i: number) => spec.series.map((s) => Math.max(0, s.values[i] ?? 0));
  const largest = Math.max(
    0,
    ...spec.labels.map((_, i) => (spec.stacked ? at(i).reduce((a, b) => a + b, 0) : Math.max(0, ...at(i)))),
  );
  if (largest <= 0) return AXIS_SPLITS;
  const raw = largest / AXIS_SPLITS;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 3, 4, 5, 10]
      .map((m) => m * pow)
      .find((x) => x >= raw && (x >= 1 ? Number.isInteger(x) : true)) ?? 10 * pow;
  return Math.max(step, 1) * AXIS_SPLITS;
}

/** The uCharts options for a chart `width` × `height` CSS px drawn at `pixelRatio`. */
export function chartOptions(
  spec: ChartSpec,
  context: unknown,
  width: number,
  height: number,
  pixelRatio: number,
): Record<string, unknown> {
  const axisFormat = spec.axisFormat ?? shortNumber;
  const fontSize = spec.fontSize ?? 12;
  return {
    type: spec.kind === 'bar' ? 'column' : 'line',
    context,
    canvas2d: true,
    width: width * pixelRatio,
    height: height * pixelRatio,
    pixelRatio,
    animation: false,
    background: '#FFFFFF',
    fontSize,
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
    xAxis: {
      disableGrid: true,
      fontColor: '#5C6270',
      fontSize,
      rotateLabel: spec.labels.length > 6,
      rotateAngle: 40,
    },
    yAxis: {
      gridType: 'dash',
      dashLength: 4,
      splitNumber: AXIS_SPLITS,
      data: [
        {
          min: 0,
          max: spec.max ?? axisTop(spec),
          fontColor: '#5C6270',
          fontSize,
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
