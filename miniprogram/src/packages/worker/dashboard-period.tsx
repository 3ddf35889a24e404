/**
 * The dashboards' period picker: 月 / 季 / 年 and which one (‹ previous · next ›), never past the
 * current period (Asia/Shanghai). Shared by the worker's and the street admin's dashboards.
 */
import { Text, View } from '@tarojs/components';
import type { DashboardPeriod } from '../../../../types/report-dashboard';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import { shanghai } from '../../utils/time';

type Kind = DashboardPeriod['kind'];

const KINDS: Segment<Kind>[] = [
  { value: 'month', label: '月' },
  { value: 'quarter', label: '季' },
  { value: 'year', label: '年' },
];

/** The period of a kind that contains `now`. */
export function currentPeriod(kind: Kind, now = Date.now()): DashboardPeriod {
  const d = shanghai(now);
  const month = d.month() + 1;
  const index = kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : 1;
  return { kind, year: d.year(), index };
}

/** The period `step` periods after `p` (negative: before). */
export function shiftPeriod(p: DashboardPeriod, step: number): DashboardPeriod {
  if (p.kind === 'year') return { ...p, year: p.year + step, index: 1 };
  const per = p.kind === 'month' ? 12 : 4;
  const n = p.year * per + (p.index - 1) + step;
  return { kind: p.kind, year: Math.floor(n / per), index: (n % per) + 1 };
}

const order = (p: DashboardPeriod) => p.year * 100 + p.index;

export function periodText(p: DashboardPeriod): string {
  if (p.kind === 'year') return `${p.year}年`;
  if (p.kind === 'quarter') return `${p.year}年第${p.index}季度`;
  return `${p.year}年${p.index}月`;
}

export function PeriodPicker({
  value,
  onChange,
  now = Date.now(),
}: {
  value: DashboardPeriod;
  onChange: (p: DashboardPeriod) => void;
  now?: number;
}) {
  const latest = currentPeriod(value.kind, now);
  const atLatest = order(value) >= order(latest);
  const prev = () => onChange(shiftPeriod(value, -1));
  const next = () => {
    if (!atLatest) onChange(shiftPeriod(value, 1));
  };
  return (
    <View>
      <SegmentTabs
        items={KINDS}
        value={value.kind}
        onChange={(k) => onChange(currentPeriod(k, now))}
        idPrefix="dash-kind"
        label="统计周期"
      />
      <View className="dash-period">
        <View
          id="dash-prev"
          className="dash-step"
          aria-label={`上一${value.kind === 'month' ? '月' : value.kind === 'quarter' ? '季' : '年'}`}
          {...roleProps('button')}
          {...keyboardActivatable(prev)}
          onClick={prev}
        >
          ‹
        </View>
        <Text id="dash-period" className="dash-period__current" {...roleProps('status')}>
          {periodText(value)}
        </Text>
        <View
          id="dash-next"
          className={`dash-step ${atLatest ? 'dash-step--disabled' : ''}`}
          aria-label={`下一${value.kind === 'month' ? '月' : value.kind === 'quarter' ? '季' : '年'}`}
          {...roleProps('button', atLatest ? { 'aria-disabled': 'true' } : {})}
          {...keyboardActivatable(next)}
          onClick={next}
        >
          ›
        </View>
      </View>
    </View>
  );
}
