import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CommunitiesView } from '../../../../types/api';
import { ApiCallError, call, errorMessage } from '../../api';
import { isCancel } from '../../api/upload';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { CHECK_IN_METHODS } from '../../utils/labels';
import { sitesOf, unitsOf } from './form';
import {
  CLOSES_BEFORE,
  REPEATS,
  SERVICE_CATEGORY_LIST,
  applyServiceSite,
  emptyServiceForm,
  serviceFieldsFromServer,
  validateService,
  type ServiceErrors,
  type ServiceField,
  type ServiceForm,
} from './volunteer-service-form';
import { PickerBox, SitePicker } from './fields';
import { SwitchRow, TextField, useWorkerCommunity } from './volunteer-shared';

const CATEGORIES = SERVICE_CATEGORY_LIST.map((c) => ({ value: c, label: c }));
const SERVICE_PAGE = '/packages/volunteer/service';

export default function ServicePublish() {
  const { communityId, error: communityError, retry } = useWorkerCommunity();
  const [form, setForm] = useState<ServiceForm>(() => emptyServiceForm());
  const [errors, setErrors] = useState<ServiceErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [places, setPlaces] = useState<CommunitiesView | null>(null);
  const [placesError, setPlacesError] = useState<string | null>(null);

  const loadPlaces = useCallback(async () => {
    setPlacesError(null);
    try {
      setPlaces(await call('user', 'communities', {}));
    } catch (err) {
      setPlacesError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void loadPlaces();
  }, [loadPlaces]);

  const sites = useMemo(() => sitesOf(places, communityId || undefined), [places, communityId]);
  const units = useMemo(
    () => unitsOf(places, communityId || undefined).map((u) => ({ value: u._id, label: u.name })),
    [places, communityId],
  );

  const update = <K extends keyof ServiceForm>(key: K, value: ServiceForm[K], field?: ServiceField) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const chooseOnMap = async () => {
    try {
      const r = await Taro.chooseLocation({});
      if (!r.name && !r.address) return;
      setForm((f) => ({
        ...f,
        siteId: '',
        placeName: (r.name || r.address).slice(0, 50),
        placeAddress: r.address.slice(0, 100),
        lat: r.latitude,
        lng: r.longitude,
      }));
      setErrors((e) => ({ ...e, place: undefined }));
    } catch (err) {
      if (!isCancel(err)) Taro.showToast({ title: '无法打开地图，请从服务阵地中选择', icon: 'none' });
    }
  };

  const toggleHostUnit = (unitId: string) =>
    setForm((f) => ({
      ...f,
      hostUnitIds: f.hostUnitIds.includes(unitId)
        ? f.hostUnitIds.filter((u) => u !== unitId)
        : [...f.hostUnitIds, unitId],
    }));

  const submit = async () => {
    if (submitting) return;
    const { errors: errs, value } = validateService(form);
    setErrors(errs);
    if (!value) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    setSubmitting(true);
    try {
      const d = await call('volunteer', 'publishService', { communityId, ...value });
      Taro.showToast({ title: '发布成功', icon: 'success' });
      Taro.redirectTo({ url: `${SERVICE_PAGE}?id=${encodeURIComponent(d._id)}` });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(serviceFieldsFromServer(err.fields));
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setSubmitting(false);
    }
  };

  if (communityError) {
    return (
      <PageShell id="service-publish-page">
        <ErrorState message={communityError} onRetry={retry} />
      </PageShell>
    );
  }
  if (!communityId) {
    return (
      <PageShell id="service-publish-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  }

  const isWeapp = process.env.TARO_ENV === 'weapp';
  const sessions = form.repeat === 'none' ? 1 : Number(form.count) || 0;

  return (
    <PageShell id="service-publish-page" withFooter>
      <Text className="page-title" {...heading(1)}>
        发布志愿服务
      </Text>

      <Field id="svc-category" label="服务类别" error={errors.category}>
        <Choices
          idPrefix="svc-category"
          label="服务类别"
          items={CATEGORIES}
          value={form.category}
          onChange={(v) => update('category', v, 'category')}
        />
      </Field>

      <Field id="svc-title" label="项目名称" error={errors.title} hint="如：敬老助餐">
        <TextField
          id="svc-title"
          label="项目名称"
          value={form.title}
          max={30}
          placeholder="如：敬老助餐"
          invalid={!!errors.title}
          onChange={(v) => update('title', v, 'title')}
        />
      </Field>
      <Field id="svc-post" label="岗位名称" error={errors.post} hint="如：送餐员">
        <TextField
          id="svc-post"
          label="岗位名称"
          value={form.post}
          max={20}
          placeholder="如：送餐员"
          invalid={!!errors.post}
          onChange={(v) => update('post', v, 'post')}
        />
      </Field>

      <Field
        id="svc-description"
        label="服务介绍"
        error={errors.description}
        hint="做什么、注意事项、集合地点"
      >
        <TextArea
          id="svc-description"
          label="服务介绍"
          value={form.description}
          max={2000}
          placeholder="服务内容、注意事项"
          onChange={(v) => update('description', v, 'description')}
        />
      </Field>

      <Field
        id="svc-place"
        label="服务地点"
        error={errors.place}
        hint={
          form.placeAddress || (isWeapp ? '从服务阵地中选择，或在地图上选点' : '从本社区的服务阵地中选择')
        }
      >
        <SitePicker
          id="svc-place"
          label="服务地点"
          sites={sites}
          siteId={form.siteId}
          placeName={form.placeName}
          loading={places === null}
          failed={!!placesError}
          invalid={!!errors.place}
          onPick={(site) => {
            setForm((f) => applyServiceSite(f, site));
            setErrors((er) => ({ ...er, place: undefined }));
          }}
        />
        {isWeapp ? (
          <Button id="svc-place-map" fill="outline" className="vw-result" onClick={() => void chooseOnMap()}>
            在地图上选择
          </Button>
        ) : null}
        {placesError ? (
          <Button id="svc-place-retry" fill="outline" className="vw-result" onClick={() => void loadPlaces()}>
            重新加载服务阵地
          </Button>
        ) : null}
      </Field>

      <Field id="svc-date" label="第一场日期" error={errors.start}>
        <PickerBox
          id="svc-date"
          mode="date"
          label="日期"
          value={form.date}
          invalid={!!errors.start}
          onChange={(v) => update('date', v, 'start')}
        />
      </Field>
      <Field id="svc-time" label="服务时段" error={errors.end}>
        <View className="form-row">
          <PickerBox
            id="svc-start-time"
            mode="time"
            label="开始时间"
            value={form.startTime}
            invalid={!!errors.start}
            onChange={(v) => update('startTime', v, 'start')}
          />
          <PickerBox
            id="svc-end-time"
            mode="time"
            label="结束时间"
            value={form.endTime}
            invalid={!!errors.end}
            onChange={(v) => update('endTime', v, 'end')}
          />
        </View>
      </Field>

      <Field
        id="svc-repeat"
        label="重复"
        error={errors.count}
        hint={form.repeat === 'none' ? '只有一场' : `共 ${sessions || '?'} 场，时段相同`}
      >
        <Choices
          idPrefix="svc-repeat"
          label="重复"
          items={REPEATS}
          value={form.repeat}
          onChange={(v) => update('repeat', v, 'count')}
        />
        {form.repeat !== 'none' ? (
          <View className="vw-result">
            <TextField
              id="svc-count"
              label="共几场"
              type="number"
              value={form.count}
              max={2}
              placeholder="2–52"
              invalid={!!errors.count}
              onChange={(v) => update('count', v, 'count')}
            />
          </View>
        ) : null}
      </Field>

      <Field id="svc-closes" label="报名截止">
        <Choices
          idPrefix="svc-closes"
          label="报名截止"
          items={CLOSES_BEFORE}
          value={form.closesBefore}
          onChange={(v) => update('closesBefore', v)}
        />
      </Field>

      <View className="form-row">
        <Field id="svc-hours" label="每场时长（小时）" error={errors.hours}>
          <TextField
            id="svc-hours"
            label="每场时长（小时）"
            type="digit"
            value={form.hours}
            max={4}
            invalid={!!errors.hours}
            onChange={(v) => update('hours', v, 'hours')}
          />
        </Field>
        <Field id="svc-places" label="每场名额" error={errors.places}>
          <TextField
            id="svc-places"
            label="每场名额"
            type="number"
            value={form.places}
            max={4}
            invalid={!!errors.places}
            onChange={(v) => update('places', v, 'places')}
          />
        </Field>
      </View>

      <Field
        id="svc-skills"
        label="技能要求（选填）"
        error={errors.skills}
        hint="多项用逗号或空格分开，最多 5 项"
      >
        <TextField
          id="svc-skills"
          label="技能要求"
          value={form.skills}
          max={80}
          placeholder="如：驾驶，急救"
          invalid={!!errors.skills}
          onChange={(v) => update('skills', v, 'skills')}
        />
      </Field>

      <Field id="svc-checkin" label="签到方式">
        <Choices
          idPrefix="svc-checkin"
          label="签到方式"
          items={CHECK_IN_METHODS}
          value={form.checkInMethod}
          onChange={(v) => update('checkInMethod', v)}
        />
      </Field>

      <View className="form-field">
        <SwitchRow
          id="svc-review"
          label="报名需要审核"
          checked={form.review}
          onChange={(v) => update('review', v)}
        />
        <Text className="form-hint">
          {form.review ? '报名后由社区工作者审核通过才算报上' : '报名即确认，满员后自动候补'}
        </Text>
      </View>

      {units.length > 0 ? (
        <Field id="svc-host-units" label="共建单位（选填，可多选）">
          <Choices
            idPrefix="svc-host-unit"
            label="共建单位"
            items={units}
            value={form.hostUnitIds}
            onChange={toggleHostUnit}
          />
        </Field>
      ) : null}

      <View className="footer-bar">
        <Button
          id="service-submit"
          className="block-btn"
          type="primary"
          size="large"
          block
          loading={submitting}
          disabled={submitting}
          onClick={() => void submit()}
        >
          发布服务
        </Button>
      </View>
    </PageShell>
  );
}
