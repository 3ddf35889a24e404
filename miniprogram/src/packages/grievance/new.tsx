import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GrievanceCategory } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { GRIEVANCE_DETAIL_PAGE } from '../../components/GrievanceCard';
import { PageShell } from '../../components/PageShell';
import { PhotoEditor } from '../../components/PhotoEditor';
import { ErrorState, ListSkeleton } from '../../components/States';
import { currentCommunity, loadMe } from '../../store/session';
import { Button, Switch } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { URGENCY_LABEL } from '../../utils/labels';
import { useConfirm } from '../../components/TextDialog';
import { findRecentDuplicate } from '../../../../cloudfunctions/domain/grievance-duplicate';
import { askSubscribe, canAskSubscribe } from '../../utils/subscribe';
import {
  clearDraft,
  grievanceFieldsFromServer,
  loadDraft,
  phoneError,
  saveDraft,
  TEXT_MAX,
  validateGrievance,
  type GrievanceErrors,
  type GrievanceField,
  type GrievanceForm,
} from './draft';
import '../../styles/grievance.scss';

const isWeapp = process.env.TARO_ENV === 'weapp';

export default function NewGrievance() {
  const [form, setForm] = useState<GrievanceForm>(loadDraft);
  const [errors, setErrors] = useState<GrievanceErrors>({});
  const [submitError, setSubmitError] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [categories, setCategories] = useState<GrievanceCategory[] | null>(null);
  const [communityId, setCommunityId] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const me = await loadMe();
      const community = currentCommunity(me);
      setCommunityId(community?._id ?? '');
      const r = await call('grievance', 'categories', community ? { communityId: community._id } : {});
      setCategories(r.categories);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Template ids for status updates, fetched ahead: WeChat opens the dialog only within the tap.
  const tmplIds = useRef<string[]>([]);
  useEffect(() => {
    if (!canAskSubscribe()) return;
    call('notify', 'templates', { scene: 'grievanceSubmit' })
      .then((r) => {
        tmplIds.current = r.templates.map((t) => t.templateId).slice(0, 3);
      })
      .catch((err: unknown) => console.warn('notify.templates failed', err));
  }, []);

  // Every change is kept, so leaving the page (or the app) loses nothing.
  useEffect(() => {
    saveDraft(form);
  }, [form]);

  const update = <K extends keyof GrievanceForm>(key: K, value: GrievanceForm[K], field?: GrievanceField) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
    if (submitError) setSubmitError('');
  };

  const pickLocation = async () => {
    try {
      const r = await Taro.chooseLocation({});
      const name = (r.name || r.address || '').trim().slice(0, 60);
      setForm((f) => ({ ...f, placeName: name || '已选位置', lat: r.latitude, lng: r.longitude }));
    } catch (err) {
      const msg = (err as { errMsg?: string } | null)?.errMsg ?? '';
      if (!/cancel/i.test(msg)) Taro.showToast({ title: '没有取到位置，可以不填', icon: 'none' });
    }
  };

  const locateDevice = async () => {
    try {
      const r = await Taro.getLocation({ type: 'gcj02' });
      setForm((f) => ({ ...f, placeName: f.placeName || '当前位置', lat: r.latitude, lng: r.longitude }));
    } catch {
      Taro.showToast({ title: '没有取到位置，可以直接写地点', icon: 'none' });
    }
  };

  const clearLocation = () => setForm((f) => ({ ...f, placeName: '', lat: null, lng: null }));

  const submit = async () => {
    if (submitting) return;
    const { errors: errs, value } = validateGrievance(form);
    setErrors(errs);
    setSubmitError('');
    if (!value) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    if (!communityId) {
      Taro.showToast({ title: '请先在首页选择所在社区', icon: 'none' });
      return;
    }
    setSubmitting(true);
    // Still inside the tap: ask to be told when the grievance moves on (WeChat only).
    const ids = tmplIds.current;
    const asked = canAskSubscribe() && ids.length > 0 ? askSubscribe('grievanceSubmit', ids) : null;
    try {
      if (asked) await asked;
      // The same text again within a day: ask before sending it twice.
      const recent = await call('grievance', 'mine', { pageSize: 20 }).catch(() => null);
      if (
        recent &&
        findRecentDuplicate(value.text, recent.items, Date.now()) &&
        !(await confirm('提示', '提示：你今天已提交过相似的诉求，仍要提交吗？', '仍要提交'))
      )
        return;
      const d = await call('grievance', 'submit', { communityId, ...value });
      clearDraft();
      setForm(loadDraft());
      Taro.showToast({ title: '已提交', icon: 'success' });
      Taro.redirectTo({ url: `${GRIEVANCE_DETAIL_PAGE}?id=${encodeURIComponent(d._id)}` });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(grievanceFieldsFromServer(err.fields));
      const msg = errorMessage(err);
      if (err instanceof ApiCallError && err.code === 'RATE_LIMITED') setSubmitError(msg);
      Taro.showToast({ title: msg, icon: 'none', duration: 3000 });
    } finally {
      setSubmitting(false);
    }
  };

  if (loadError && !categories) {
    return (
      <PageShell id="grievance-new-page">
        <ErrorState message={loadError} onRetry={() => void load()} />
      </PageShell>
    );
  }

  const textLength = form.text.trim().length;
  const hasCoords = form.lat !== null && form.lng !== null;

  return (
    <PageShell id="grievance-new-page" withFooter>
      <Text className="page-title" {...heading(1)}>
        我要反映
      </Text>

      <Field id="field-category" label="问题类别" error={errors.category}>
        {categories === null ? (
          <ListSkeleton rows={1} />
        ) : categories.length === 0 ? (
          <Text className="muted">本社区暂未开通诉求反映</Text>
        ) : (
          <Choices
            idPrefix="field-category"
            label="问题类别"
            items={categories.map((c) => ({
              value: c.key,
              label: c.urgency === 'urgent' ? `${c.name}（${URGENCY_LABEL.urgent}）` : c.name,
            }))}
            value={form.category}
            onChange={(v) => update('category', v, 'category')}
          />
        )}
      </Field>

      <Field id="field-text" label="问题描述" error={errors.text} hint="写清楚什么问题、在哪里、持续多久">
        <Textarea
          id="field-text"
          className={`form-textarea ${errors.text ? 'form-invalid' : ''}`}
          value={form.text}
          maxlength={TEXT_MAX}
          placeholder="例如：3 号楼东侧路灯坏了一个星期，晚上很黑"
          aria-label="问题描述"
          nativeProps={{ 'aria-label': '问题描述' }}
          onInput={(e) => update('text', e.detail.value, 'text')}
        />
        <Text className="text-counter" id="field-text-counter" aria-live="polite">
          {textLength}/{TEXT_MAX}
        </Text>
      </Field>

      <Field id="field-photos" label="照片（可不传，最多 9 张）" error={errors.photos}>
        <PhotoEditor id="field-photos" value={form.photos} onChange={(p) => update('photos', p, 'photos')} />
      </Field>

      <Field id="field-location" label="地点（可不填）" error={errors.location}>
        {isWeapp ? (
          hasCoords ? (
            <View className="phone-row">
              <Text id="field-location-name">{form.placeName}</Text>
              <Button id="field-location-clear" size="small" fill="outline" onClick={clearLocation}>
                不填
              </Button>
            </View>
          ) : (
            <Button id="field-location-use" type="primary" fill="outline" onClick={() => void pickLocation()}>
              使用当前位置
            </Button>
          )
        ) : (
          <>
            <Input
              id="field-location"
              className="form-input"
              value={form.placeName}
              maxlength={60}
              placeholder="如：幸福里 3 号楼东侧"
              aria-label="地点"
              nativeProps={{ 'aria-label': '地点' }}
              onInput={(e) => update('placeName', e.detail.value, 'location')}
            />
            <View className="phone-row">
              {hasCoords ? (
                <Text className="form-hint" id="field-location-coords">
                  已附上当前位置
                </Text>
              ) : (
                <Text
                  id="field-location-use"
                  className="section-title__more"
                  {...roleProps('button')}
                  {...keyboardActivatable(() => void locateDevice())}
                  onClick={() => void locateDevice()}
                >
                  使用当前位置
                </Text>
              )}
              {form.placeName || hasCoords ? (
                <Text
                  id="field-location-clear"
                  className="section-title__more"
                  {...roleProps('button')}
                  {...keyboardActivatable(clearLocation)}
                  onClick={clearLocation}
                >
                  不填
                </Text>
              ) : null}
            </View>
          </>
        )}
      </Field>

      <Field
        id="field-phone"
        label="联系电话（可不填）"
        error={errors.phone}
        hint="只给办理人员看，页面上会隐去中间四位"
      >
        <Input
          id="field-phone"
          className={`form-input ${errors.phone ? 'form-invalid' : ''}`}
          type="number"
          value={form.phone}
          maxlength={11}
          placeholder="11 位手机号"
          aria-label="联系电话"
          nativeProps={{ 'aria-label': '联系电话', inputmode: 'tel' }}
          onInput={(e) => update('phone', e.detail.value, 'phone')}
          onBlur={() => setErrors((er) => ({ ...er, phone: phoneError(form.phone) }))}
        />
      </Field>

      <View className="form-field">
        <View className="switch-row">
          <Text id="field-public-label">同意公开展示（隐去个人信息）</Text>
          <Switch
            id="field-public"
            aria-label="同意公开展示（隐去个人信息）"
            {...roleProps('switch', { 'aria-checked': form.isPublic })}
            checked={form.isPublic}
            onChange={(v: boolean) => update('isPublic', v)}
          />
        </View>
      </View>

      {submitError ? (
        <Text className="form-error" id="submit-error" {...roleProps('alert')}>
          {submitError}
        </Text>
      ) : null}

      <View className="footer-bar">
        <Button
          id="grievance-submit"
          className="block-btn"
          type="primary"
          size="large"
          block
          loading={submitting}
          disabled={submitting}
          onClick={() => void submit()}
        >
          提交
        </Button>
      </View>
      {confirmDialog}
    </PageShell>
  );
}
