import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CommunitiesView } from '../../../../types/api';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { currentCommunity, loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ACTIVITY_TYPES, AUDIENCES, CANCEL_POLICIES, CHECK_IN_METHODS } from '../../utils/labels';
import {
  applySite,
  emptyForm,
  fieldsFromServer,
  formFromDetail,
  sitesOf,
  unitsOf,
  validate,
  type ActivityForm,
  type FieldKey,
  type FormErrors,
} from './form';
import { PickerBox, SitePicker } from './fields';

function DateTime({
  id,
  label,
  date,
  time,
  onDate,
  onTime,
  invalid,
}: {
  id: string;
  label: string;
  date: string;
  time: string;
  onDate: (v: string) => void;
  onTime: (v: string) => void;
  invalid: boolean;
}) {
  return (
    <View className="form-row">
      <PickerBox
        id={`${id}-date`}
        mode="date"
        label={`${label}日期`}
        placeholder="选择日期"
        value={date}
        invalid={invalid}
        onChange={onDate}
      />
      <PickerBox
        id={`${id}-time`}
        mode="time"
        label={`${label}时间`}
        placeholder="选择时间"
        value={time}
        invalid={invalid}
        onChange={onTime}
      />
    </View>
  );
}

export default function PublishActivity() {
  const router = useRouter();
  const editId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const isNew = !editId;
  const [form, setForm] = useState<ActivityForm>(() => emptyForm());
  const [errors, setErrors] = useState<FormErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [places, setPlaces] = useState<CommunitiesView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [ready, setReady] = useState(isNew);
  const [communityId, setCommunityId] = useState<string>('');

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const [meView, view] = await Promise.all([loadMe(), call('user', 'communities', {})]);
      setPlaces(view);
      const workerGrant =
        meView.user.roles.find(
          (r) =>
            r.role === 'worker' &&
            (!meView.user.currentCommunityId || r.communityId === meView.user.currentCommunityId),
        ) ?? meView.user.roles.find((r) => r.role === 'worker');
      setCommunityId(workerGrant?.communityId ?? currentCommunity(meView)?._id ?? '');
      if (editId) {
        const d = await call('activity', 'detail', { activityId: editId });
        setForm(formFromDetail(d));
        setCommunityId(d.communityId);
        setReady(true);
        Taro.setNavigationBarTitle({ title: '编辑活动' });
      }
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [editId]);

  useEffect(() => {
    void load();
  }, [load]);

  const sites = useMemo(() => sitesOf(places, communityId || undefined), [places, communityId]);
  const units = useMemo(
    () => unitsOf(places, communityId || undefined).map((u) => ({ value: u._id, label: u.name })),
    [places, communityId],
  );
  const toggleHostUnit = (unitId: string) =>
    setForm((f) => ({
      ...f,
      hostUnitIds: f.hostUnitIds.includes(unitId)
        ? f.hostUnitIds.filter((id) => id !== unitId)
        : [...f.hostUnitIds, unitId],
    }));

  const update = <K extends keyof ActivityForm>(key: K, value: ActivityForm[K], field?: FieldKey) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async () => {
    if (submitting) return;
    const { errors: errs, value } = validate(form, { isNew });
    setErrors(errs);
    if (!value) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    if (isNew && !communityId) {
      Taro.showToast({ title: '没有可发布活动的社区', icon: 'none' });
      return;
    }
    setSubmitting(true);
    try {
      if (isNew) {
        const d = await call('activity', 'publish', { communityId, ...value });
        Taro.showToast({ title: '发布成功', icon: 'success' });
        Taro.redirectTo({ url: `/pages/activity/detail?id=${encodeURIComponent(d._id)}` });
      } else {
        const { type: _type, ...patch } = value;
        const d = await call('activity', 'update', { activityId: editId, patch });
        Taro.showToast({ title: '已保存', icon: 'success' });
        const pages = Taro.getCurrentPages();
        const prev = pages[pages.length - 2];
        if (prev && prev.route?.includes('pages/activity/detail')) Taro.navigateBack();
        else Taro.redirectTo({ url: `/pages/activity/detail?id=${encodeURIComponent(d._id)}` });
      }
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(fieldsFromServer(err.fields));
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setSubmitting(false);
    }
  };

  if (loadError) {
    return (
      <PageShell id="publish-page">
        <ErrorState message={loadError} onRetry={() => void load()} />
      </PageShell>
    );
  }
  if (!ready) {
    return (
      <PageShell id="publish-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  }

  return (
    <PageShell id="publish-page" withFooter>
      <Text className="page-title" {...heading(1)}>
        {isNew ? '发布活动' : '编辑活动'}
      </Text>

      <Field
        id="field-type"
        label="活动类型"
        error={errors.type}
        hint={isNew ? undefined : '活动类型发布后不能修改'}
      >
        <Choices
          idPrefix="field-type"
          label="活动类型"
          items={ACTIVITY_TYPES}
          value={form.type}
          disabled={!isNew}
          onChange={(v) => update('type', v, 'type')}
        />
      </Field>

      <Field id="field-title" label="活动标题" error={errors.title}>
        <Input
          id="field-title"
          className={`form-input ${errors.title ? 'form-invalid' : ''}`}
          value={form.title}
          maxlength={40}
          placeholder="如：重阳节敬老志愿服务"
          aria-label="活动标题"
          nativeProps={{ 'aria-label': '活动标题' }}
          onInput={(e) => update('title', e.detail.value, 'title')}
        />
      </Field>

      <Field
        id="field-description"
        label="活动介绍"
        error={errors.description}
        hint="写清楚做什么、需要带什么、集合地点"
      >
        <TextArea
          id="field-description"
          label="活动介绍"
          value={form.description}
          max={2000}
          placeholder="活动内容、注意事项"
          onChange={(v) => update('description', v, 'description')}
        />
      </Field>

      <Field
        id="field-place"
        label="活动地点"
        error={errors.place}
        hint={form.placeAddress || '从本社区的服务阵地中选择'}
      >
        <SitePicker
          id="field-place"
          label="活动地点"
          sites={sites}
          siteId={form.siteId}
          placeName={form.placeName}
          loading={places === null}
          invalid={!!errors.place}
          onPick={(site) => {
            setForm((f) => applySite(f, site));
            setErrors((er) => ({ ...er, place: undefined }));
          }}
        />
      </Field>

      <Field id="field-start" label="活动开始" error={errors.start}>
        <DateTime
          id="field-start"
          label="活动开始"
          date={form.startDate}
          time={form.startTime}
          invalid={!!errors.start}
          onDate={(v) => update('startDate', v, 'start')}
          onTime={(v) => update('startTime', v, 'start')}
        />
      </Field>
      <Field id="field-end" label="活动结束" error={errors.end}>
        <DateTime
          id="field-end"
          label="活动结束"
          date={form.endDate}
          time={form.endTime}
          invalid={!!errors.end}
          onDate={(v) => update('endDate', v, 'end')}
          onTime={(v) => update('endTime', v, 'end')}
        />
      </Field>
      <Field id="field-signup-start" label="报名开始" error={errors.signUpStart}>
        <DateTime
          id="field-signup-start"
          label="报名开始"
          date={form.signUpStartDate}
          time={form.signUpStartTime}
          invalid={!!errors.signUpStart}
          onDate={(v) => update('signUpStartDate', v, 'signUpStart')}
          onTime={(v) => update('signUpStartTime', v, 'signUpStart')}
        />
      </Field>
      <Field id="field-signup-end" label="报名截止" error={errors.signUpEnd}>
        <DateTime
          id="field-signup-end"
          label="报名截止"
          date={form.signUpEndDate}
          time={form.signUpEndTime}
          invalid={!!errors.signUpEnd}
          onDate={(v) => update('signUpEndDate', v, 'signUpEnd')}
          onTime={(v) => update('signUpEndTime', v, 'signUpEnd')}
        />
      </Field>

      <Field
        id="field-capacity"
        label="人数上限"
        error={errors.capacity}
        hint="填 0 表示不限人数；满员后可候补"
      >
        <Input
          id="field-capacity"
          className={`form-input ${errors.capacity ? 'form-invalid' : ''}`}
          type="number"
          value={form.capacity}
          aria-label="人数上限"
          nativeProps={{ 'aria-label': '人数上限', inputmode: 'numeric' }}
          onInput={(e) => update('capacity', e.detail.value, 'capacity')}
        />
      </Field>

      <Field id="field-audience" label="参加对象">
        <Choices
          idPrefix="field-audience"
          label="参加对象"
          items={AUDIENCES}
          value={form.audience}
          onChange={(v) => update('audience', v)}
        />
      </Field>
      <Field id="field-cancel-policy" label="取消规则">
        <Choices
          idPrefix="field-cancel-policy"
          label="取消规则"
          items={CANCEL_POLICIES}
          value={form.cancelPolicy}
          onChange={(v) => update('cancelPolicy', v)}
        />
      </Field>
      <Field id="field-checkin" label="签到方式">
        <Choices
          idPrefix="field-checkin"
          label="签到方式"
          items={CHECK_IN_METHODS}
          value={form.checkInMethod}
          onChange={(v) => update('checkInMethod', v)}
        />
      </Field>

      {units.length > 0 ? (
        <Field id="field-host-units" label="共建单位（可多选）" hint="联盟活动可由驻区单位共同主办">
          <Choices
            idPrefix="field-host-unit"
            label="共建单位"
            items={units}
            value={form.hostUnitIds}
            onChange={toggleHostUnit}
          />
        </Field>
      ) : null}

      <View className="form-row">
        <Field id="field-hours" label="服务时长（小时）" error={errors.hours}>
          <Input
            id="field-hours"
            className={`form-input ${errors.hours ? 'form-invalid' : ''}`}
            type="digit"
            value={form.hours}
            aria-label="服务时长（小时）"
            nativeProps={{ 'aria-label': '服务时长（小时）', inputmode: 'decimal' }}
            onInput={(e) => update('hours', e.detail.value, 'hours')}
          />
        </Field>
        <Field id="field-points" label="积分" error={errors.points}>
          <Input
            id="field-points"
            className={`form-input ${errors.points ? 'form-invalid' : ''}`}
            type="number"
            value={form.points}
            aria-label="积分"
            nativeProps={{ 'aria-label': '积分', inputmode: 'numeric' }}
            onInput={(e) => update('points', e.detail.value, 'points')}
          />
        </Field>
      </View>

      <View className="footer-bar">
        <Button
          id="publish-submit"
          className="block-btn"
          type="primary"
          size="large"
          block
          loading={submitting}
          disabled={submitting}
          onClick={() => void submit()}
        >
          {isNew ? '发布活动' : '保存修改'}
        </Button>
      </View>
    </PageShell>
  );
}
