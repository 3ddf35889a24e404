/**
 * Small charts for the dashboards (issue 14 item 1), drawn with views and CSS only so they look the
 * same in weapp and H5 (no canvas, no chart library): stacked or grouped bars, and lines made of
 * rotated segments in a fixed 600 × 240 box. Every chart is one `role="img"` with an aria-label
 * that gives every value, and a legend in words (never colour alone).
 */
import { Text, View } from '@tarojs/components';
import { roleProps } from '../../utils/a11y';
import './dashboard.scss';

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

/** The chart box in design px (dashboard.scss draws it at this size). */
const BOX_W = 600;
const BOX_H = 240;

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

function Axis({ labels }: { labels: string[] }) {
  return (
    <View className="chart__axis" aria-hidden="true">
      {labels.map((l, i) => (
        <Text key={`${l}-${i}`} className="chart__tick">
          {l}
        </Text>
      ))}
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
  format = (v) => String(v),
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  stacked?: boolean;
  format?: (v: number) => string;
}) {
  const totals = labels.map((_, i) => series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0));
  const max = Math.max(1, ...(stacked ? totals : series.flatMap((s) => s.values.map((v) => Math.max(0, v)))));
  const pct = (v: number) => `${(Math.max(0, v) / max) * 100}%`;
  return (
    <View className="chart" id={id}>
      <View
        className="chart__box"
        aria-label={chartSummary(title, labels, series, format)}
        {...roleProps('img')}
      >
        {labels.map((l, i) => (
          <View key={`${l}-${i}`} className={`chart__slot ${stacked ? 'chart__slot--stacked' : ''}`}>
            {stacked ? (
              <View className="chart__stack" style={{ height: pct(totals[i]!) }}>
                {series.map((s) =>
                  (s.values[i] ?? 0) > 0 ? (
                    <View
                      key={s.name}
                      className="chart__part"
                      style={{ flexGrow: s.values[i], background: s.color }}
                    />
                  ) : null,
                )}
              </View>
            ) : (
              series.map((s) => (
                <View
                  key={s.name}
                  className="chart__bar"
                  style={{ height: pct(s.values[i] ?? 0), background: s.color }}
                />
              ))
            )}
          </View>
        ))}
      </View>
      <Axis labels={labels} />
      <Legend series={series} />
    </View>
  );
}

/** Lines through each series' points; `max` fixes the top (1 for rates), else the largest value. */
export function LineChart({
  id,
  title,
  labels,
  series,
  max: fixedMax,
  format = (v) => String(v),
}: {
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  max?: number;
  format?: (v: number) => string;
}) {
  const max = fixedMax ?? Math.max(1, ...series.flatMap((s) => s.values));
  const n = labels.length;
  // Points sit in the middle of each label's slot, like the bars.
  const x = (i: number) => ((i + 0.5) / Math.max(1, n)) * BOX_W;
  const y = (v: number) => BOX_H - (Math.min(Math.max(0, v), max) / max) * BOX_H;
  return (
    <View className="chart" id={id}>
      <View
        className="chart__box chart__box--line"
        aria-label={chartSummary(title, labels, series, format)}
        {...roleProps('img')}
      >
        {series.map((s) =>
          s.values.map((v, i) => {
            const x0 = x(i);
            const y0 = y(v);
            const dot = (
              <View
                key={`${s.name}-p${i}`}
                className="chart__dot"
                style={{
                  left: `${(x0 / BOX_W) * 100}%`,
                  top: `${(y0 / BOX_H) * 100}%`,
                  background: s.color,
                }}
              />
            );
            if (i === s.values.length - 1) return dot;
            const x1 = x(i + 1);
            const y1 = y(s.values[i + 1] ?? 0);
            const len = Math.hypot(x1 - x0, y1 - y0);
            const angle = (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
            return [
              dot,
              <View
                key={`${s.name}-s${i}`}
                className="chart__segment"
                style={{
                  left: `${(x0 / BOX_W) * 100}%`,
                  top: `${(y0 / BOX_H) * 100}%`,
                  width: `${(len / BOX_W) * 100}%`,
                  transform: `rotate(${angle}deg)`,
                  background: s.color,
                }}
              />,
            ];
          }),
        )}
      </View>
      <Axis labels={labels} />
      <Legend series={series} />
    </View>
  );
}

/** A table with roles (Taro views are divs in H5): header row, a row header and cells. */
export function Table({
  id,
  caption,
  head,
  rows,
}: {
  id: string;
  caption: string;
  head: string[];
  rows: { key: string; cells: string[] }[];
}) {
  return (
    <View className="stats-table" id={id} aria-label={caption} {...roleProps('table')}>
      <View className="stats-table__row stats-table__head" {...roleProps('row')}>
        {head.map((t) => (
          <Text key={t} className="stats-table__cell" {...roleProps('columnheader')}>
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
}
