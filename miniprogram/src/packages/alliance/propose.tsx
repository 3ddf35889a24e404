import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ActivityType, ProposalView, Resource, UnitView } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { ACTIVITY_TYPES } from '../../utils/labels';
import { fromParts, toParts } from '../../utils/time';

type ProposeField = 'communityId' | 'title' | 'description' | 'placeName' | 'startAt' | 'endAt' | 'capacity';
type Errors = Partial<Record<ProposeField, string>>;

export interface ProposeForm {
  communityId: string;
  type: ActivityType;
  title: string;
  description: string;
  placeName: string;
  venueResourceId: string;
  date: string;
  start: string;
  end: string;
  capacity: string;
}

export function emptyProposal(communityId: string, now = Date.now()): ProposeForm {
  return {
    communityId,
    type: 'alliance',
    title: '',
    description: '',
    placeName: '',
    venueResourceId: '',
    date: toParts(now + 7 * 24 * 3600_000).date,
    start: '09:00',
    end: '11:00',
    capacity: '30',
  };
}

/** Client-side checks with the server's wording (allianceSchemas.proposeActivity, activity timing). */
export function proposalErrors(f: ProposeForm, now = Date.now()): Errors {
  const e: Errors = {};
  if (!f.communityId) e.communityId = '请选择社区';
  const title = f.title.trim().length;
  if (title < 2) e.title = '活动标题至少 2 个字';
  else if (title > 40) e.title = '活动标题最多 40 个字';
  if (f.description.trim().length > 2000) e.description = '活动介绍最多 2000 字';
  const place = f.placeName.trim().length;
  if (place < 1) e.placeName = '请填写活动地点';
  else if (place > 50) e.placeName = '活动地点最多 50 个字';
  const startAt = fromParts(f.date, f.start);
  const endAt = fromParts(f.date, f.end);
  if (Number.isNaN(startAt)) e.startAt = '请选择开始时间';
  else if (startAt <= now) e.startAt = '开始时间须晚于现在';
  if (Number.isNaN(endAt)) e.endAt = '请选择结束时间';
  else if (!Number.isNaN(startAt) && endAt <= startAt) e.endAt = '结束时间须晚于开始时间';
  const cap = f.capacity.trim();
  if (!/^\d+$/.test(cap)) e.capacity = '请填写人数（不限填 0）';
  else if (Number(cap) > 10000) e.capacity = '人数上限 10000';
  return e;
}

function TimePicker({
  id,
  label,
  mode,
  value,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  mode: 'date' | 'time';
  value: string;
  invalid: boolean;
  onChange: (v: string) => void;
}) {
  return (
    <Picker id={id} mode={mode} value={value} onChange={(e) => onChange(String(e.detail.value))}>
      <View
        className={`form-picker ${invalid ? 'form-invalid' : ''}`}
        aria-label={`${label}：${value || '未选择'}`}
        {...roleProps('button')}
      >
        <Text>{value}</Text>
      </View>
    </Picker>
  );
}

/** 提议联盟活动 (unit staff): for one of the unit's allied communities, optionally in its own venue. */
export function ProposeActivityForm({
  unit,
  communities,
  onDone,
  onCancel,
}: {
  unit: UnitView;
  /** Names of the unit's allied communities, by id. */
  communities: { value: string; label: string }[];
  onDone: (p: ProposalView) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState<ProposeForm>(() => emptyProposal(communities[0]?.value ?? ''));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [venues, setVenues] = useState<Resource[] | null>(null);

  useEffect(() => {
    call('alliance', 'listResources', { unitId: unit._id, kind: 'venue', pageSize: 50 })
      .then((r) => setVenues(r.items))
      .catch(() => setVenues([]));
  }, [unit._id]);

  const set = (patch: Partial<ProposeForm>, field?: ProposeField) => {
    setF((x) => ({ ...x, ...patch }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const chooseVenue = (id: string) => {
    const venue = venues?.find((v) => v._id === id);
    if (f.venueResourceId === id) return set({ venueResourceId: '' });
    set(
      { venueResourceId: id, ...(f.placeName.trim() ? {} : { placeName: venue?.title ?? '' }) },
      'placeName',
    );
  };

  const submit = async () => {
    if (busy) return;
    const e = proposalErrors(f);
    setErrors(e);
    if (Object.keys(e).length > 0) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      const p = await call('alliance', 'proposeActivity', {
        communityId: f.communityId,
        type: f.type,
        title: f.title.trim(),
        description: f.description.trim(),
        placeName: f.placeName.trim(),
        ...(f.venueResourceId ? { venueResourceId: f.venueResourceId } : {}),
        startAt: fromParts(f.date, f.start),
        endAt: fromParts(f.date, f.end),
        capacity: Number(f.capacity.trim()),
      });
      Taro.showToast({ title: '已提交，等待社区审核', icon: 'none' });
      onDone(p);
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) {
        const byField: Errors = {};
        for (const [k, v] of Object.entries(err.fields)) byField[k as ProposeField] = v;
        setErrors(byField);
      }
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card" id="propose-activity-form">
      <Text className="section-title" {...heading(2)}>
        提议联盟活动
      </Text>
      <Text className="form-hint">社区审核通过后，活动以本单位为共建单位发布，居民即可报名。</Text>
      {communities.length > 1 ? (
        <Field id="propose-community" label="社区" error={errors.communityId}>
          <Choices
            idPrefix="propose-community"
            label="社区"
            items={communities}
            value={f.communityId}
            onChange={(v) => set({ communityId: v }, 'communityId')}
          />
        </Field>
      ) : null}
      <Field id="propose-type" label="活动类型">
        <Choices
          idPrefix="propose-type"
          label="活动类型"
          items={ACTIVITY_TYPES}
          value={f.type}
          onChange={(v) => set({ type: v })}
        />
      </Field>
      <Field id="propose-title" label="活动标题" error={errors.title}>
        <Input
          id="propose-title"
          className={`form-input ${errors.title ? 'form-invalid' : ''}`}
          value={f.title}
          maxlength={40}
          placeholder="如：健康知识进社区"
          aria-label="活动标题"
          nativeProps={{ 'aria-label': '活动标题' }}
          onInput={(e) => set({ title: e.detail.value }, 'title')}
        />
      </Field>
      <Field id="propose-description" label="活动介绍（可不填）" error={errors.description}>
        <Textarea
          id="propose-description"
          className="form-textarea"
          value={f.description}
          maxlength={2000}
          placeholder="活动内容、面向人群、需要社区配合的事项"
          aria-label="活动介绍"
          nativeProps={{ 'aria-label': '活动介绍' }}
          onInput={(e) => set({ description: e.detail.value }, 'description')}
        />
      </Field>
      <Field id="propose-venue" label="使用本单位场地（可不选）">
        {venues === null ? (
          <ListSkeleton rows={1} />
        ) : venues.length === 0 ? (
          <Text className="muted" id="propose-venue-none">
            本单位还没有发布场地资源
          </Text>
        ) : (
          <Choices
            idPrefix="propose-venue"
            label="本单位场地"
            items={venues.map((v) => ({ value: v._id, label: v.title }))}
            value={f.venueResourceId}
            onChange={chooseVenue}
          />
        )}
      </Field>
      <Field id="propose-place" label="活动地点" error={errors.placeName}>
        <Input
          id="propose-place"
          className={`form-input ${errors.placeName ? 'form-invalid' : ''}`}
          value={f.placeName}
          maxlength={50}
          placeholder="如：幸福里党群服务中心"
          aria-label="活动地点"
          nativeProps={{ 'aria-label': '活动地点' }}
          onInput={(e) => set({ placeName: e.detail.value }, 'placeName')}
        />
      </Field>
      <Field id="propose-date" label="日期" error={errors.startAt}>
        <View className="form-row">
          <TimePicker
            id="propose-date"
            label="日期"
            mode="date"
            value={f.date}
            invalid={!!errors.startAt}
            onChange={(v) => set({ date: v }, 'startAt')}
          />
          <TimePicker
            id="propose-start"
            label="开始时间"
            mode="time"
            value={f.start}
            invalid={!!errors.startAt}
            onChange={(v) => set({ start: v }, 'startAt')}
          />
          <TimePicker
            id="propose-end"
            label="结束时间"
            mode="time"
            value={f.end}
            invalid={!!errors.endAt}
            onChange={(v) => set({ end: v }, 'endAt')}
          />
        </View>
        {errors.endAt ? (
          <Text className="form-error" id="propose-end-error" {...roleProps('alert')}>
            {errors.endAt}
          </Text>
        ) : null}
      </Field>
      <Field id="propose-capacity" label="人数上限（不限填 0）" error={errors.capacity}>
        <Input
          id="propose-capacity"
          className={`form-input ${errors.capacity ? 'form-invalid' : ''}`}
          type="number"
          value={f.capacity}
          maxlength={5}
          aria-label="人数上限"
          nativeProps={{ 'aria-label': '人数上限', inputmode: 'numeric' }}
          onInput={(e) => set({ capacity: e.detail.value }, 'capacity')}
        />
      </Field>
      <View className="alliance-card__actions">
        <Button id="propose-cancel" fill="outline" disabled={busy} onClick={onCancel}>
          取消
        </Button>
        <Button
          id="propose-submit"
          type="primary"
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
        >
          提交提议
        </Button>
      </View>
    </View>
  );
}
