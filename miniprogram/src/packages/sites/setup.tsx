import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { WeeklyHours } from '../../../../types/sites';
import { call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ListSkeleton } from '../../components/States';
import { isWorker, loadMe, staffUnitId } from '../../store/session';
import { Button } from '../../ui';
import { roleProps } from '../../utils/a11y';
import { locate } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './sites.scss';

const DAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;
const DAY_NAMES: Record<string, string> = {
  '0': '周日',
  '1': '周一',
  '2': '周二',
  '3': '周三',
  '4': '周四',
  '5': '周五',
  '6': '周六',
};
const TIME = /^([01]\d|2[0-4]):(00|30)$/;

interface Form {
  source: string;
  days: string[];
  open: string;
  close: string;
  capacity: string;
  maxHours: string;
  approval: 'yes' | 'no';
  facilities: string;
  address: string;
}
type Errors = Partial<Record<keyof Form, string>>;

/** The same hours on every chosen weekday (the form's simple case). */
export function weeklyHours(days: string[], open: string, close: string): WeeklyHours {
  return Array.from({ length: 7 }, (_, d) => (days.includes(String(d)) ? [{ open, close }] : []));
}

export function validate(f: Form, unit: boolean): Errors {
  const e: Errors = {};
  if (!f.source) e.source = unit ? '请选择要开放的场地' : '请选择服务阵地';
  if (!f.days.length) e.days = '请选择开放的日子';
  if (!TIME.test(f.open) || !TIME.test(f.close)) e.open = '时间格式应为 09:00，按半小时';
  else if (f.close <= f.open) e.open = '关门时间须晚于开门时间';
  const cap = Number(f.capacity);
  if (!Number.isInteger(cap) || cap < 1) e.capacity = '请填写容纳人数';
  const max = Number(f.maxHours);
  if (!Number.isInteger(max) || max < 1 || max > 12) e.maxHours = '每次可约 1–12 小时';
  if (unit && f.address.trim().length < 2) e.address = '请填写场地地址';
  return e;
}

/**
 * 开放预约: a worker opens a room of the community's 党群服务中心 for booking; unit staff open one of
 * their unit's venue resources (with its address and the current position as its location).
 */
export default function SiteSetupPage() {
  const [mode, setMode] = useState<{ unitId?: string; communityId?: string } | null>(null);
  const [sources, setSources] = useState<{ value: string; label: string }[] | null>(null);
  const [form, setForm] = useState<Form>({
    source: '',
    days: ['1', '2', '3', '4', '5'],
    open: '09:00',
    close: '17:00',
    capacity: '',
    maxHours: '3',
    approval: 'yes',
    facilities: '',
    address: '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const me = await loadMe();
        const communityId = isWorker(me)
          ? me.user.roles.find((r) => r.role === 'worker')?.communityId
          : undefined;
        const unitId = staffUnitId(me);
        if (communityId) {
          setMode({ communityId });
          const all = await call('user', 'communities', {});
          setSources(
            all.sites
              .filter((s) => s.communityId === communityId)
              .map((s) => ({ value: s._id, label: s.name })),
          );
        } else if (unitId) {
          setMode({ unitId });
          const res = await call('alliance', 'listResources', { unitId, kind: 'venue', pageSize: 50 });
          setSources(
            res.items.filter((r) => r.status === 'active').map((r) => ({ value: r._id, label: r.title })),
          );
        } else setSources([]);
      } catch (err) {
        Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
        setSources([]);
      }
    })();
  }, []);

  const update = (patch: Partial<Form>, field: keyof Form) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const unit = !!mode?.unitId;

  const submit = async () => {
    if (busy || !mode) return;
    const e = validate(form, unit);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const common = {
        hours: weeklyHours(form.days, form.open, form.close),
        capacity: Number(form.capacity),
        maxHours: Number(form.maxHours),
        approval: form.approval === 'yes',
        facilities: form.facilities
          .split(/[,，、\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
      if (unit) {
        const at = await locate();
        if (!at) return;
        await call('sites', 'openVenue', {
          resourceId: form.source,
          address: form.address.trim(),
          lat: at.lat,
          lng: at.lng,
          ...common,
        });
      } else {
        await call('sites', 'saveSite', {
          communityId: mode.communityId!,
          fromSiteId: form.source,
          ...common,
        });
      }
      Taro.showToast({ title: '已开放预约', icon: 'success' });
      Taro.redirectTo({ url: '/packages/sites/index' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  if (!sources) {
    return (
      <PageShell id="site-setup-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  }
  if (!sources.length) {
    return (
      <PageShell id="site-setup-page">
        <EmptyState
          id="site-setup-empty"
          text={unit ? '本单位还没有场地类资源' : '本社区还没有服务阵地'}
          hint={unit ? '先在「我的单位」登记场地资源' : '请街道管理员先登记服务阵地'}
        />
      </PageShell>
    );
  }
  const input = (id: keyof Form, label: string, type: 'text' | 'number' = 'text', placeholder?: string) => (
    <Input
      id={`setup-${id}-input`}
      className={`form-input ${errors[id] ? 'form-invalid' : ''}`}
      type={type}
      value={form[id] as string}
      placeholder={placeholder}
      aria-label={label}
      nativeProps={{ 'aria-label': label }}
      onInput={(e) => update({ [id]: e.detail.value } as Partial<Form>, id)}
    />
  );

  return (
    <PageShell id="site-setup-page">
      <Field id="setup-source" label={unit ? '开放的场地' : '服务阵地'} error={errors.source}>
        <Choices
          idPrefix="setup-source"
          label={unit ? '开放的场地' : '服务阵地'}
          items={sources}
          value={form.source}
          onChange={(v) => update({ source: v }, 'source')}
        />
      </Field>
      {unit ? (
        <Field
          id="setup-address"
          label="场地地址"
          error={errors.address}
          hint="提交时会用当前位置作为签到定位"
        >
          {input('address', '场地地址', 'text', '如：健康路 1 号报告厅')}
        </Field>
      ) : null}
      <Field id="setup-days" label="开放的日子" error={errors.days}>
        <Choices
          idPrefix="setup-day"
          label="开放的日子"
          items={DAYS.map((d) => ({ value: d, label: DAY_NAMES[d]! }))}
          value={form.days}
          onChange={(d) =>
            update(
              { days: form.days.includes(d) ? form.days.filter((x) => x !== d) : [...form.days, d] },
              'days',
            )
          }
        />
      </Field>
      <Field id="setup-open" label="开放时间（按半小时，如 09:00 至 17:30）" error={errors.open}>
        <View className="sites-top" {...roleProps('group')} aria-label="开放时间">
          {input('open', '开门时间', 'text', '09:00')}
          <Text>至</Text>
          {input('close', '关门时间', 'text', '17:00')}
        </View>
      </Field>
      <Field id="setup-capacity" label="容纳人数" error={errors.capacity}>
        {input('capacity', '容纳人数', 'number', '如 40')}
      </Field>
      <Field id="setup-max-hours" label="每次最多预约（小时）" error={errors.maxHours}>
        {input('maxHours', '每次最多预约小时数', 'number', '3')}
      </Field>
      <Field id="setup-facilities" label="设施（用顿号分隔，可不填）">
        {input('facilities', '设施', 'text', '投影、音响、会议桌')}
      </Field>
      <Field id="setup-approval" label="预约是否需要审核">
        <Choices
          idPrefix="setup-approval"
          label="预约是否需要审核"
          items={[
            { value: 'yes', label: '需要审核' },
            { value: 'no', label: '直接生效' },
          ]}
          value={form.approval}
          onChange={(v) => update({ approval: v }, 'approval')}
        />
      </Field>
      <Button id="setup-submit" type="primary" block disabled={busy} onClick={() => void submit()}>
        开放预约
      </Button>
    </PageShell>
  );
}
