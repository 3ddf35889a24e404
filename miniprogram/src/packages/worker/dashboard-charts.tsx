/**
 * The dashboards' charts (issue 14 item 1), drawn by uCharts (`dashboard-draw.ts`) on one canvas
 * per chart: Taro's `Canvas type="2d"` in weapp (its node found with createSelectorQuery), a
 * `<canvas>` in H5. Every chart is one `role="img"` whose aria-label gives every value, with a
 * legend in words (never colour alone) and a data table (数据表) to open — open from the start in
 * 关怀模式.
 */
import { Canvas, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../store/session';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import { drawChart, type CanvasLike, type ChartSeries, type ChartSpec } from './dashboard-draw';
import './dashboard.scss';

export type { ChartSeries } from './dashboard-draw';

/** "1月" from "202601". */
export const monthLabel = (m: string) => `${Number(m.slice(4))}月`;

/** The text alternative: "<title>：1月 志愿服务 3、主题党日 1；2月 …". */
export function chartSummary(
  title: string,
  labels: string[],
  series: ChartSeries[],
  format: (v: number) => string,
): string {
  const parts = labels.map(
    (l, i) => `${l} ${series.map((s) => `${s.name} ${format(s.values[i] ?? 0)}`).join('、')}`,
  );
  return `${title}：${parts.join('；')}`;
}

function Legend({ series }: { series: ChartSeries[] }) {
  return (
    <View className="chart__legend" aria-hidden="true">
      {series.map((s) => (
        <View key={s.name} className="chart__legend-item">
          <View className="chart__swatch" style={{ background: s.color }} />
          <Text>{s.name}</Text>
        </View>
      ))}
    </View>
  );
}

/** The device pixel ratio (weapp: the window's; H5: the browser's). */
function pixelRatio(): number {
  if (process.env.TARO_ENV === 'h5') return typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  try {
    return (Taro.getWindowInfo?.() ?? Taro.getSystemInfoSync()).pixelRatio || 1;
  } catch {
    return 1;
  }
}

/**
 * One canvas drawn by uCharts: in weapp the `Canvas type="2d"` node (createSelectorQuery, after
 * the render), in H5 a `<canvas>`; drawn again whenever the figures change.
 */
function ChartCanvas({ id, spec }: { id: string; spec: ChartSpec }) {
  const canvasId = `${id}-canvas`;
  const h5Canvas = useRef<HTMLCanvasElement | null>(null);
  // 关怀模式: the axis text ×1.25, like the page's.
  const { careMode } = useSession();
  const drawn: ChartSpec = { ...spec, fontSize: careMode ? 15 : 12 };
  const specRef = useRef(drawn);
  specRef.current = drawn;
  const figures = JSON.stringify([spec.kind, spec.stacked, spec.max, spec.labels, spec.series, careMode]);

  useEffect(() => {
    let live = true;
    if (process.env.TARO_ENV === 'h5') {
      const el = h5Canvas.current;
      if (!el) return;
      const box = el.getBoundingClientRect();
      drawChart(el, box.width, box.height, pixelRatio(), specRef.current);
      return;
    }
    Taro.nextTick(() => {
      if (!live) return;
      Taro.createSelectorQuery()
        .select(`#${canvasId}`)
        .fields({ node: true, size: true })
        .exec((res: Array<{ node?: CanvasLike; width?: number; height?: number } | null>) => {
          const found = res?.[0];
          if (!live || !found?.node) return;
          drawChart(found.node, found.width ?? 0, found.height ?? 0, pixelRatio(), specRef.current);
        });
    });
    return () => {
      live = false;
    };
  }, [canvasId, figures]);

  if (process.env.TARO_ENV === 'h5')
    return <canvas ref={h5Canvas} id={canvasId} className="chart__canvas" aria-hidden="true" />;
  return <Canvas type="2d" id={canvasId} className="chart__canvas" aria-hidden="true" />;
}

/** The chart's values as a table (the labels down, the series across), behind a toggle. */
function ChartData({
  id,
  title,
  labels,
  series,
  format,
  labelHead,
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  format: (v: number) => string;
  labelHead: string;
}) {
  const { careMode } = useSession();
  const [open, setOpen] = useState<boolean | null>(null);
  const shown = open ?? careMode;
  const toggle = () => setOpen(!shown);
  return (
    <View className="chart__data">
      <View
        id={`${id}-data-toggle`}
        className="chart__data-toggle"
        onClick={toggle}
        {...roleProps('button', { 'aria-expanded': shown })}
        {...keyboardActivatable(toggle)}
      >
        <Text>{shown ? '收起数据表' : '查看数据表'}</Text>
      </View>
      {shown ? (
        <Table
          id={`${id}-data`}
          caption={`${title}数据表`}
          head={[labelHead, ...series.map((s) => s.name)]}
          rows={labels.map((l, i) => ({
            key: `${i}`,
            cells: [l, ...series.map((s) => format(s.values[i] ?? 0))],
          }))}
        />
      ) : null}
    </View>
  );
}

function Chart({
  id,
  title,
  labels,
  series,
  format,
  spec,
  labelHead,
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  format: (v: number) => string;
  spec: ChartSpec;
  labelHead: string;
}) {
  return (
    <View className="chart" id={id}>
      <View
        className="chart__box"
        aria-label={chartSummary(title, labels, series, format)}
        {...roleProps('img')}
      >
        <ChartCanvas id={id} spec={spec} />
      </View>
      <Legend series={series} />
      <ChartData
        id={id}
        title={title}
        labels={labels}
        series={series}
        format={format}
        labelHead={labelHead}
      />
    </View>
  );
}

/** Bars per label: stacked (one column, parts on top of each other) or side by side. */
export function BarChart({
  id,
  title,
  labels,
  series,
  stacked = false,
  max,
  format = (v) => String(v),
  axisFormat,
  labelHead = '月份',
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  labelHead?: string;
  stacked?: boolean;
  /** A fixed top of the value axis (1 for rates). */
  max?: number;
  format?: (v: number) => string;
  axisFormat?: (v: number) => string;
}) {
  return (
    <Chart
      id={id}
      title={title}
      labels={labels}
      series={series}
      format={format}
      labelHead={labelHead}
      spec={{ kind: 'bar', labels, series, stacked, max, axisFormat }}
    />
  );
}

/** Lines through each series' points; `max` fixes the top (1 for rates), else the largest value. */
export function LineChart({
  id,
  title,
  labels,
  series,
  max,
  format = (v) => String(v),
  axisFormat,
  labelHead = '月份',
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  labelHead?: string;
  max?: number;
  format?: (v: number) => string;
  axisFormat?: (v: number) => string;
}) {
  return (
    <Chart
      id={id}
      title={title}
      labels={labels}
      series={series}
      format={format}
      labelHead={labelHead}
      spec={{ kind: 'line', labels, series, max, axisFormat }}
    />
  );
}

/**
 * A table with roles (Taro views are divs in H5): header row, a row header and cells. `wide`: many
 * columns — on a phone it scrolls sideways inside its own focusable region with the first column
 * kept in view (sticky); at desk width (≥ 1280 px) it is a plain full-width table.
 */
export function Table({
  id,
  caption,
  head,
  rows,
  wide = false,
}: {
  id: string;
  caption: string;
  head: string[];
  rows: { key: string; cells: string[] }[];
  wide?: boolean;
}) {
  const table = (
    <View
      className={`stats-table ${wide ? 'stats-table--wide' : ''}`}
      id={id}
      aria-label={caption}
      {...roleProps('table')}
    >
      <View className="stats-table__row stats-table__head" {...roleProps('row')}>
        {head.map((t, i) => (
          <Text key={`${t}-${i}`} className="stats-table__cell" {...roleProps('columnheader')}>
            {t}
          </Text>
        ))}
      </View>
      {rows.map((r) => (
        <View key={r.key} id={`${id}-${r.key}`} className="stats-table__row" {...roleProps('row')}>
          {r.cells.map((c, i) => (
            <Text key={i} className="stats-table__cell" {...roleProps(i === 0 ? 'rowheader' : 'cell')}>
              {c}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
  if (!wide) return table;
  // The scrolling region is reachable by keyboard in H5 (axe: scrollable-region-focusable).
  return (
    <View
      id={`${id}-scroll`}
      className="stats-scroll"
      {...roleProps('region', { 'aria-label': `${caption}（可左右滑动）` })}
      {...(process.env.TARO_ENV === 'h5' ? { tabIndex: 0 } : {})}
    >
      {table}
    </View>
  );
}
