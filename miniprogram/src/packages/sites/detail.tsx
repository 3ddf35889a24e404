import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { DaySlot, SiteDetail } from '../../../../types/sites';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { useSubscribeAsk } from '../../utils/subscribe';
import { dateText } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './sites.scss';

/** The chosen range: first and last slot index of the day (inclusive). */
type Range = { from: number; to: number } | null;

/** A tap picks the start; a second tap on a later free slot extends to it; a tap elsewhere starts over. */
export function nextRange(range: Range, i: number, slots: DaySlot[]): Range {
  if (!slots[i]?.free) return range;
  if (!range || range.from !== range.to || i < range.from) return { from: i, to: i };
  for (let k = range.from; k <= i; k++)
    if (!slots[k]?.free || (k > range.from && slots[k - 1]!.end !== slots[k]!.start))
      return { from: i, to: i };
  return { from: range.from, to: i };
}

type Errors = Partial<Record<'slots' | 'people' | 'purpose', string>>;

/** 阵地详情: key facts, a day picker, the day's slots and the booking form. */
export default function SiteDetailPage() {
  const { params } = useRouter();
  const siteId = params.id ?? '';
  const [detail, setDetail] = useState<SiteDetail | null>(null);
  const [date, setDate] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState<Range>(null);
  const [people, setPeople] = useState('');
  const [purpose, setPurpose] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();
  // Template ids to ask about (the outcome of the booking), fetched ahead: the dialog opens in the tap.
  const askToSubscribe = useSubscribeAsk('siteBooking', !!detail);

  const load = useCallback(
    async (d?: string) => {
      setError(null);
      try {
        const res = await call('sites', 'detail', { siteId, ...(d ? { date: d } : {}) });
        setDetail(res);
        setDate(res.date);
        setRange(null);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [siteId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (error && !detail) {
    return (
      <PageShell id="site-detail-page">
        <ErrorState message={error} onRetry={() => void load(date)} />
      </PageShell>
    );
  }
  if (!detail) {
    return (
      <PageShell id="site-detail-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  }
  const { site, slots } = detail;
  const chosen = range ? { start: slots[range.from]!.start, end: slots[range.to]!.end } : null;

  const submit = async () => {
    if (busy) return;
    const e: Errors = {};
    const n = Number(people);
    if (!chosen) e.slots = '请在上方选择时段（点开始时段，再点结束时段）';
    else if ((range!.to - range!.from + 1) * 0.5 > site.maxHours)
      e.slots = `每次最多预约 ${site.maxHours} 小时`;
    if (!Number.isInteger(n) || n < 1) e.people = '请填写人数';
    else if (n > site.capacity) e.people = `最多 ${site.capacity} 人`;
    if (purpose.trim().length < 2) e.purpose = '用途至少 2 个字';
    setErrors(e);
    if (Object.keys(e).length) return;
    // First, still inside the tap: WeChat opens the subscribe dialog only from a direct tap.
    const asked = askToSubscribe();
    if (asked) await asked;
    const ok = await confirm(
      '确认预约？',
      `${site.name}\n${dateText(detail.date)} ${chosen!.start}–${chosen!.end}，${n} 人${site.approval ? '\n提交后需管理员审核' : ''}`,
      '确认预约',
    );
    if (!ok) return;
    setBusy(true);
    try {
      const b = await call('sites', 'book', {
        siteId,
        date: detail.date,
        start: chosen!.start,
        end: chosen!.end,
        people: n,
        purpose: purpose.trim(),
      });
      Taro.showToast({ title: b.status === 'pending' ? '已提交，等待审核' : '预约成功', icon: 'none' });
      Taro.navigateTo({ url: '/packages/sites/mine' });
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'CONFLICT') void load(detail.date);
      if (err instanceof ApiCallError && err.fields)
        setErrors({ people: err.fields.people, purpose: err.fields.purpose });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="site-detail-page" withFooter>
      <View className="card" id="site-facts">
        <Text className="alliance-card__title" {...heading(1)}>
          {site.name}
        </Text>
        <View className="alliance-card__line">
          <Text className="line-label">地址</Text>
          <Text>{site.address}</Text>
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">容纳</Text>
          <Text>
            {site.capacity} 人 · 每次最多 {site.maxHours} 小时{site.approval ? ' · 需审核' : ''}
          </Text>
        </View>
        {site.facilities.length ? (
          <View className="alliance-card__line">
            <Text className="line-label">设施</Text>
            <Text>{site.facilities.join('、')}</Text>
          </View>
        ) : null}
        <View className="alliance-card__line">
          <Text className="line-label">开放</Text>
          <Text id="site-hours">{site.hoursText.slice(1).concat(site.hoursText.slice(0, 1)).join('；')}</Text>
        </View>
        {site.note ? <Text className="alliance-card__text">{site.note}</Text> : null}
      </View>

      <View className="section-title">
        <Text {...heading(2)}>选择日期</Text>
      </View>
      <View className="sites-days" id="site-days" aria-label="选择日期" {...roleProps('radiogroup')}>
        {detail.dates.map((d) => (
          <View
            key={d}
            id={`site-day-${d}`}
            className={`sites-day ${d === detail.date ? 'sites-day--active' : ''}`}
            aria-checked={d === detail.date}
            aria-label={dateText(d)}
            {...roleProps('radio')}
            {...keyboardActivatable(() => void load(d))}
            onClick={() => void load(d)}
          >
            <Text>{dateText(d).split(' ')[0]}</Text>
            <Text>{dateText(d).split(' ')[1]}</Text>
          </View>
        ))}
      </View>

      <View className="section-title">
        <Text {...heading(2)} id="site-day-title">
          选择时段 · {dateText(detail.date)}
        </Text>
      </View>
      {slots.length === 0 ? (
        <Text className="form-hint" id="site-closed">
          当天不开放，请换一天
        </Text>
      ) : (
        <View className="sites-slots" id="site-slots" aria-label="可预约时段" {...roleProps('group')}>
          {slots.map((s, i) => {
            const on = !!range && i >= range.from && i <= range.to;
            const label = `${s.start}–${s.end}${s.free ? (on ? '，已选' : '，可约') : s.past ? '，已过' : '，已约满'}`;
            return (
              <View
                key={s.start}
                id={`slot-${s.start.replace(':', '')}`}
                className={`sites-slot ${on ? 'sites-slot--chosen' : ''} ${s.free ? '' : 'sites-slot--taken'}`}
                aria-label={label}
                aria-disabled={!s.free}
                aria-pressed={on}
                {...roleProps('button')}
                {...keyboardActivatable(() => setRange((r) => nextRange(r, i, slots)))}
                onClick={() => {
                  setRange((r) => nextRange(r, i, slots));
                  setErrors((e) => ({ ...e, slots: undefined }));
                }}
              >
                <Text>{s.start}</Text>
                <Text>{s.free ? '可约' : s.past ? '已过' : '已约'}</Text>
              </View>
            );
          })}
        </View>
      )}
      {chosen ? (
        <Text className="form-hint" id="site-chosen">
          已选 {dateText(detail.date)} {chosen.start}–{chosen.end}
        </Text>
      ) : null}
      {errors.slots ? (
        <Text className="form-error" id="site-slots-error" {...roleProps('alert')}>
          {errors.slots}
        </Text>
      ) : null}

      <Field id="site-people" label="人数" error={errors.people}>
        <Input
          id="site-people-input"
          className={`form-input ${errors.people ? 'form-invalid' : ''}`}
          type="number"
          value={people}
          placeholder={`1–${site.capacity}`}
          aria-label="人数"
          nativeProps={{ 'aria-label': '人数' }}
          onInput={(e) => {
            setPeople(e.detail.value);
            setErrors((x) => ({ ...x, people: undefined }));
          }}
        />
      </Field>
      <Field id="site-purpose" label="用途" error={errors.purpose}>
        <Input
          id="site-purpose-input"
          className={`form-input ${errors.purpose ? 'form-invalid' : ''}`}
          value={purpose}
          maxlength={100}
          placeholder="如：楼栋议事会、读书会"
          aria-label="用途"
          nativeProps={{ 'aria-label': '用途' }}
          onInput={(e) => {
            setPurpose(e.detail.value);
            setErrors((x) => ({ ...x, purpose: undefined }));
          }}
        />
      </Field>

      <View className="footer-bar">
        <Button
          id="site-book"
          type="primary"
          block
          disabled={busy || site.status !== 'open'}
          onClick={() => void submit()}
        >
          {site.approval ? '提交预约' : '立即预约'}
        </Button>
      </View>
      {confirmDialog}
    </PageShell>
  );
}
