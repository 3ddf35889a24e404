import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { MeView } from '../../../../types/api';
import type { ConsentText, RegistrationView } from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { currentCommunity, loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { useSubscribeAsk } from '../../utils/subscribe';
import { formatInstant } from '../../utils/time';
import {
  Line,
  NAME_RE,
  PHONE_RE,
  REGISTRATION_STATUS,
  SERVICE_CATEGORY_LIST,
  idNumberError,
  openVolunteer,
  param,
} from './shared';
import './volunteer.scss';

const SKILL_PRESETS = [
  '医疗护理',
  '心理疏导',
  '法律咨询',
  '维修电工',
  '文艺表演',
  '教育辅导',
  '摄影摄像',
  '驾驶',
  '外语',
  '电脑手机',
];
const PREFERENCE_PRESETS: string[] = SERVICE_CATEGORY_LIST.filter((c) => c !== '其他');
const MAX_TAGS = 10;

interface RegForm {
  communityId: string;
  name: string;
  idNumber: string;
  phone: string;
  skills: string[];
  preferences: string[];
  consent: boolean;
}
type FieldKey = 'communityId' | 'name' | 'idNumber' | 'phone' | 'skills' | 'preferences' | 'consent';
type Errors = Partial<Record<FieldKey, string>>;

function validate(f: RegForm): Errors {
  const e: Errors = {};
  if (!f.communityId) e.communityId = '请选择服务的社区';
  const name = f.name.trim();
  if (name.length < 2) e.name = '请填写真实姓名';
  else if (name.length > 20) e.name = '姓名最多 20 个字';
  else if (!NAME_RE.test(name)) e.name = '姓名只能包含汉字、字母和间隔号';
  const id = idNumberError(f.idNumber);
  if (id) e.idNumber = id;
  if (!PHONE_RE.test(f.phone.trim())) e.phone = '请填写 11 位手机号码';
  if (!f.consent) e.consent = '请阅读并同意个人信息使用说明';
  return e;
}

const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

/**
 * Tags to choose (presets and the ones already chosen) plus a field to add one's own
 * ("其他技能": up to 12 characters, at most 10 tags).
 */
function TagPicker({
  id,
  label,
  presets,
  value,
  onChange,
  error,
  hint,
}: {
  id: string;
  label: string;
  presets: string[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  hint?: string;
}) {
  const [custom, setCustom] = useState('');
  const [customError, setCustomError] = useState('');
  const items = [...presets, ...value.filter((v) => !presets.includes(v))].map((v) => ({
    value: v,
    label: v,
  }));
  const add = () => {
    const t = custom.trim();
    if (!t) return setCustomError(`请先填写${label}`);
    if (t.length > 12) return setCustomError('每项最多 12 个字');
    if (value.length >= MAX_TAGS && !value.includes(t)) return setCustomError(`最多选择 ${MAX_TAGS} 项`);
    setCustomError('');
    setCustom('');
    if (!value.includes(t)) onChange([...value, t]);
  };
  return (
    <Field id={id} label={label} error={error ?? (customError || undefined)} hint={hint}>
      <Choices
        idPrefix={id}
        label={label}
        items={items}
        value={value}
        onChange={(v) => {
          if (!value.includes(v) && value.length >= MAX_TAGS) {
            setCustomError(`最多选择 ${MAX_TAGS} 项`);
            return;
          }
          setCustomError('');
          onChange(toggle(value, v));
        }}
      />
      <View className="vol-tag-add">
        <Input
          id={`${id}-custom`}
          className="form-input"
          value={custom}
          maxlength={12}
          placeholder={`其他${label}`}
          aria-label={`其他${label}`}
          nativeProps={{ 'aria-label': `其他${label}` }}
          onInput={(e) => setCustom(e.detail.value)}
          onConfirm={add}
        />
        <Button id={`${id}-add`} type="primary" fill="outline" onClick={add}>
          添加
        </Button>
      </View>
    </Field>
  );
}

/** 志愿者实名登记: the form, then the registration's status; phone and skills editable later. */
export default function RegisterPage() {
  const router = useRouter();
  const [me, setMe] = useState<MeView | null>(null);
  const [registration, setRegistration] = useState<RegistrationView | null | undefined>(undefined);
  const [consent, setConsent] = useState<ConsentText | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(param(router.params, 'edit') === '1');
  const [updating, setUpdating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState<RegForm>({
    communityId: '',
    name: '',
    idNumber: '',
    phone: '',
    skills: [],
    preferences: [],
    consent: false,
  });
  const [errors, setErrors] = useState<Errors>({});
  const [update, setUpdate] = useState({ phone: '', skills: [] as string[], preferences: [] as string[] });
  const [updateErrors, setUpdateErrors] = useState<{ phone?: string }>({});
  // The full ID number and phone, fetched only when the volunteer taps 显示 and dropped on 隐藏.
  const [shown, setShown] = useState<{ idNumber: string; phone: string } | null>(null);
  const [revealing, setRevealing] = useState(false);
  const askToSubscribe = useSubscribeAsk('volunteerRegister');

  const load = useCallback(async () => {
    setError(null);
    try {
      const [m, r, c] = await Promise.all([
        loadMe(),
        call('volunteer', 'myRegistration', {}),
        call('volunteer', 'consent', {}),
      ]);
      setMe(m);
      setConsent(c);
      setRegistration(r.registration);
      const reg = r.registration;
      setForm((f) => ({
        ...f,
        communityId: f.communityId || reg?.communityId || currentCommunity(m)?._id || '',
        name: f.name || reg?.name || '',
        skills: f.skills.length ? f.skills : (reg?.skills ?? []),
        preferences: f.preferences.length ? f.preferences : (reg?.preferences ?? []),
      }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const set = (patch: Partial<RegForm>, field?: FieldKey) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async () => {
    if (busy) return;
    const errs = validate(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    setBusy(true);
    const asked = askToSubscribe();
    try {
      if (asked) await asked;
      const r = await call('volunteer', 'register', {
        communityId: form.communityId,
        name: form.name.trim(),
        idNumber: form.idNumber.trim().toUpperCase(),
        phone: form.phone.trim(),
        skills: form.skills,
        preferences: form.preferences,
        consent: true,
      });
      setRegistration(r);
      setEditing(false);
      setForm((f) => ({ ...f, idNumber: '', phone: '', consent: false }));
      Taro.showToast({ title: '已提交，等待社区审核', icon: 'none' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) {
        const fe = err.fields;
        setErrors({
          communityId: fe.communityId,
          name: fe.name,
          idNumber: fe.idNumber,
          phone: fe.phone,
          skills: fe.skills,
          preferences: fe.preferences,
          consent: fe.consent,
        });
      }
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  const startUpdate = () => {
    if (!registration) return;
    setUpdate({ phone: '', skills: registration.skills, preferences: registration.preferences });
    setUpdateErrors({});
    setUpdating(true);
  };

  const toggleReveal = async () => {
    if (shown) {
      setShown(null);
      return;
    }
    if (revealing) return;
    setRevealing(true);
    try {
      setShown(await call('volunteer', 'revealMine', {}));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setRevealing(false);
    }
  };

  const saveUpdate = async () => {
    if (busy || !registration) return;
    const phone = update.phone.trim();
    if (phone && !PHONE_RE.test(phone)) {
      setUpdateErrors({ phone: '请填写 11 位手机号码' });
      return;
    }
    setBusy(true);
    try {
      const r = await call('volunteer', 'updateRegistration', {
        ...(phone ? { phone } : {}),
        skills: update.skills,
        preferences: update.preferences,
      });
      setRegistration(r);
      setShown(null);
      setUpdating(false);
      Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields?.phone) setUpdateErrors({ phone: err.fields.phone });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  if (registration === undefined || !me || !consent)
    return <PendingPage id="volunteer-register-page" error={error} onRetry={() => void load()} />;

  if (registration && !editing) {
    const st = REGISTRATION_STATUS[registration.status];
    return (
      <PageShell id="volunteer-register-page">
        <Text className="page-title" {...heading(1)}>
          我的志愿者登记
        </Text>
        <View className="card" id="reg-status">
          <View className="vol-head">
            <Text className="vol-title" {...heading(2)}>
              {registration.name}
            </Text>
            <StatusTag id="reg-status-tag" label={st.label} tone={st.tone} />
          </View>
          {registration.status === 'pending' ? (
            <Text className="muted" id="reg-status-hint" {...roleProps('status')}>
              已提交，{registration.communityName}的社区工作者审核后会通知你。
            </Text>
          ) : null}
          {registration.status === 'approved' ? (
            <Text className="muted" id="reg-status-hint">
              你已是{registration.communityName}的注册志愿者，可以报名志愿服务了。
            </Text>
          ) : null}
          {registration.status === 'rejected' ? (
            <Text className="vol-reason" id="reg-reject-reason" {...roleProps('status')}>
              未通过原因：{registration.rejectReason || '未说明'}
            </Text>
          ) : null}
          <Line label="服务社区" id="reg-community-line">
            <Text>{registration.communityName}</Text>
          </Line>
          <Line label="身份证号" id="reg-id-masked">
            <Text>{shown ? shown.idNumber : registration.idMasked}</Text>
          </Line>
          <Line label="手机号码" id="reg-phone-masked">
            <Text>{shown ? shown.phone : registration.phoneMasked}</Text>
          </Line>
          <View className="vol-actions">
            <Button
              id="reg-reveal"
              fill="outline"
              loading={revealing}
              aria-label={shown ? '隐藏完整身份证号和手机号' : '显示完整身份证号和手机号'}
              onClick={() => void toggleReveal()}
            >
              {shown ? '隐藏' : '显示'}
            </Button>
          </View>
          <Line label="技能特长" id="reg-skills-line">
            <Text>{registration.skills.join('、') || '未填写'}</Text>
          </Line>
          <Line label="服务意向" id="reg-prefs-line">
            <Text>{registration.preferences.join('、') || '未填写'}</Text>
          </Line>
          <Line label="提交时间">
            <Text>{formatInstant(registration.submittedAt)}</Text>
          </Line>
          <View className="vol-actions">
            {registration.status === 'rejected' ? (
              <Button id="reg-resubmit" type="primary" onClick={() => setEditing(true)}>
                修改后重新提交
              </Button>
            ) : (
              <Button id="reg-update" type="primary" fill="outline" onClick={startUpdate}>
                修改手机号和技能
              </Button>
            )}
            {registration.status === 'approved' ? (
              <Button id="reg-go-services" type="primary" onClick={() => openVolunteer('services')}>
                去找志愿服务
              </Button>
            ) : null}
          </View>
        </View>

        {updating ? (
          <View id="reg-update-form">
            <Field
              id="upd-phone"
              label="新手机号码"
              error={updateErrors.phone}
              hint={`当前 ${registration.phoneMasked}，不改请留空`}
            >
              <Input
                id="upd-phone"
                className={`form-input ${updateErrors.phone ? 'form-invalid' : ''}`}
                type="number"
                maxlength={11}
                value={update.phone}
                placeholder="11 位手机号码"
                aria-label="新手机号码"
                nativeProps={{ 'aria-label': '新手机号码' }}
                onInput={(e) => {
                  setUpdate((u) => ({ ...u, phone: e.detail.value }));
                  setUpdateErrors({});
                }}
              />
            </Field>
            <TagPicker
              id="upd-skills"
              label="技能特长"
              presets={SKILL_PRESETS}
              value={update.skills}
              onChange={(skills) => setUpdate((u) => ({ ...u, skills }))}
            />
            <TagPicker
              id="upd-prefs"
              label="服务意向"
              presets={PREFERENCE_PRESETS}
              value={update.preferences}
              onChange={(preferences) => setUpdate((u) => ({ ...u, preferences }))}
            />
            <View className="vol-actions">
              <Button id="upd-cancel" fill="outline" onClick={() => setUpdating(false)}>
                取消
              </Button>
              <Button
                id="upd-save"
                type="primary"
                loading={busy}
                disabled={busy}
                onClick={() => void saveUpdate()}
              >
                保存修改
              </Button>
            </View>
          </View>
        ) : null}
      </PageShell>
    );
  }

  const consentBox = () => set({ consent: !form.consent }, 'consent');

  return (
    <PageShell id="volunteer-register-page">
      <Text className="page-title" {...heading(1)}>
        志愿者实名登记
      </Text>
      {registration?.status === 'rejected' ? (
        <Text className="vol-reason" id="reg-rejected-banner" {...roleProps('status')}>
          上次登记未通过：{registration.rejectReason || '未说明'}
          。请修改后重新提交（身份证号和手机号需重新填写）。
        </Text>
      ) : null}
      <View id="reg-form">
        <Field id="reg-community" label="服务社区" error={errors.communityId}>
          <Choices
            idPrefix="reg-community"
            label="服务社区"
            items={me.communities.map((c) => ({ value: c._id, label: c.name }))}
            value={form.communityId}
            onChange={(v) => set({ communityId: v }, 'communityId')}
          />
        </Field>
        <Field id="reg-name" label="真实姓名" error={errors.name}>
          <Input
            id="reg-name"
            className={`form-input ${errors.name ? 'form-invalid' : ''}`}
            value={form.name}
            maxlength={20}
            placeholder="与身份证一致"
            aria-label="真实姓名"
            nativeProps={{ 'aria-label': '真实姓名' }}
            onInput={(e) => set({ name: e.detail.value }, 'name')}
          />
        </Field>
        <Field
          id="reg-id"
          label="身份证号码"
          error={errors.idNumber}
          hint="仅用于实名核验和服务证明，加密保存"
        >
          <Input
            id="reg-id"
            className={`form-input ${errors.idNumber ? 'form-invalid' : ''}`}
            type="idcard"
            value={form.idNumber}
            maxlength={18}
            placeholder="18 位身份证号码"
            aria-label="身份证号码"
            nativeProps={{ 'aria-label': '身份证号码', autoComplete: 'off' }}
            onInput={(e) => set({ idNumber: e.detail.value }, 'idNumber')}
            onBlur={(e) => {
              const msg = e.detail.value ? idNumberError(String(e.detail.value)) : '';
              if (msg) setErrors((x) => ({ ...x, idNumber: msg }));
            }}
          />
        </Field>
        <Field id="reg-phone" label="手机号码" error={errors.phone}>
          <Input
            id="reg-phone"
            className={`form-input ${errors.phone ? 'form-invalid' : ''}`}
            type="number"
            value={form.phone}
            maxlength={11}
            placeholder="11 位手机号码"
            aria-label="手机号码"
            nativeProps={{ 'aria-label': '手机号码' }}
            onInput={(e) => set({ phone: e.detail.value }, 'phone')}
            onBlur={(e) => {
              const v = String(e.detail.value ?? '').trim();
              if (v && !PHONE_RE.test(v)) setErrors((x) => ({ ...x, phone: '请填写 11 位手机号码' }));
            }}
          />
        </Field>
        <TagPicker
          id="reg-skills"
          label="技能特长"
          presets={SKILL_PRESETS}
          value={form.skills}
          error={errors.skills}
          hint="可多选，也可添加其他技能"
          onChange={(skills) => set({ skills }, 'skills')}
        />
        <TagPicker
          id="reg-prefs"
          label="服务意向"
          presets={PREFERENCE_PRESETS}
          value={form.preferences}
          error={errors.preferences}
          onChange={(preferences) => set({ preferences }, 'preferences')}
        />
        <Field id="reg-consent" label="个人信息使用说明" error={errors.consent}>
          <Text className="vol-consent" id="reg-consent-text">
            {consent.text}
          </Text>
          <View
            id="reg-consent-check"
            className="vol-check"
            aria-checked={form.consent}
            aria-label="我已阅读并同意个人信息使用说明"
            {...roleProps('checkbox')}
            {...keyboardActivatable(consentBox)}
            onClick={consentBox}
          >
            <View className={`vol-check__box ${form.consent ? 'vol-check__box--on' : ''}`} aria-hidden="true">
              <Text>{form.consent ? '✓' : ''}</Text>
            </View>
            <Text>我已阅读并同意以上说明</Text>
          </View>
        </Field>
        <Button
          id="reg-submit"
          className="block-btn"
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
        >
          {registration?.status === 'rejected' ? '重新提交登记' : '提交登记'}
        </Button>
        {registration && editing ? (
          <Button
            id="reg-cancel-edit"
            className="block-btn"
            fill="none"
            block
            onClick={() => setEditing(false)}
          >
            返回查看登记
          </Button>
        ) : null}
      </View>
    </PageShell>
  );
}
