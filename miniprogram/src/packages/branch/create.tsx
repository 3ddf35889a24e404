import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { MeetingKind } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { fromParts, shanghai } from '../../utils/time';
import { PickerBox } from '../worker/fields';
import { KIND_NAMES, KINDS } from './shared';
import './branch.scss';

/** The 主题党日 six steps (cloudfunctions/domain/branch.ts THEME_DAY_AGENDA); editable. */
const THEME_DAY = [
  '收缴党费',
  '“三会一课”：集中学习',
  '党性教育或业务培训',
  '志愿服务',
  '民情恳谈、走访慰问',
  '党员积分评定',
];

type Errors = Partial<Record<'title' | 'place' | 'start' | 'agenda' | 'submit', string>>;

/** 新建会议: kind, topic, place, time and agenda; the expected attendees come from the roster. */
export default function CreateMeetingPage() {
  const branchId = useRouter().params.id ?? '';
  const [kind, setKind] = useState<MeetingKind>('themeDay');
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [date, setDate] = useState(() => shanghai(Date.now()).add(1, 'day').format('YYYY-MM-DD'));
  const [time, setTime] = useState('09:00');
  const [hours, setHours] = useState('2');
  const [agenda, setAgenda] = useState(THEME_DAY.join('\n'));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const e: Errors = {};
    if (title.trim().length < 2) e.title = '会议主题至少 2 个字';
    if (place.trim().length < 2) e.place = '请填写地点';
    if (!date || !time) e.start = '请选择日期和时间';
    const steps = agenda
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (steps.length > 12) e.agenda = '议程最多 12 项';
    setErrors(e);
    if (Object.keys(e).length) return;
    const startAt = fromParts(date, time);
    setBusy(true);
    try {
      const m = await call('branch', 'createMeeting', {
        branchId,
        kind,
        title: title.trim(),
        place: place.trim(),
        startAt,
        endAt: startAt + Math.max(0.5, Number(hours) || 2) * 3600_000,
        agenda: steps,
      });
      Taro.showToast({ title: `已通知 ${m.expectedCount} 人`, icon: 'success' });
      void Taro.redirectTo({ url: `/packages/branch/manage?id=${m._id}` });
    } catch (err) {
      setErrors({ submit: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="create-meeting-page">
      <Text className="page-title" {...heading(1)}>
        新建会议
      </Text>
      <View className="card">
        <Field id="meeting-kind" label="会议类型">
          <Choices
            idPrefix="meeting-kind"
            label="会议类型"
            items={KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))}
            value={kind}
            onChange={(k) => {
              setKind(k);
              if (k === 'themeDay' && !agenda.trim()) setAgenda(THEME_DAY.join('\n'));
            }}
          />
        </Field>
        <Field id="meeting-title" label="会议主题" error={errors.title}>
          <Input
            id="meeting-title"
            className="form-input"
            value={title}
            maxlength={40}
            aria-label="会议主题"
            nativeProps={{ 'aria-label': '会议主题' }}
            placeholder="如：11月主题党日"
            onInput={(e) => setTitle(e.detail.value)}
          />
        </Field>
        <Field id="meeting-place" label="地点" error={errors.place}>
          <Input
            id="meeting-place"
            className="form-input"
            value={place}
            maxlength={40}
            aria-label="地点"
            nativeProps={{ 'aria-label': '地点' }}
            placeholder="如：党群服务中心"
            onInput={(e) => setPlace(e.detail.value)}
          />
        </Field>
        <Field id="meeting-start" label="开始时间" error={errors.start}>
          <View className="branch-actions">
            <PickerBox
              id="meeting-date"
              mode="date"
              label="日期"
              value={date}
              invalid={!!errors.start}
              onChange={setDate}
            />
            <PickerBox
              id="meeting-time"
              mode="time"
              label="时间"
              value={time}
              invalid={!!errors.start}
              onChange={setTime}
            />
          </View>
        </Field>
        <Field id="meeting-hours" label="时长（小时）">
          <Input
            id="meeting-hours"
            className="form-input"
            type="digit"
            value={hours}
            aria-label="时长（小时）"
            nativeProps={{ 'aria-label': '时长（小时）' }}
            onInput={(e) => setHours(e.detail.value)}
          />
        </Field>
        <Field
          id="meeting-agenda"
          label="议程（每行一项）"
          error={errors.agenda}
          hint={kind === 'themeDay' ? '主题党日“六步”，可修改' : undefined}
        >
          <TextArea id="meeting-agenda" label="议程" value={agenda} max={800} onChange={setAgenda} />
        </Field>
        {errors.submit ? <Text className="form-error">{errors.submit}</Text> : null}
        <Button
          id="meeting-submit"
          className="block-btn"
          type="primary"
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
        >
          发布并通知党员
        </Button>
      </View>
    </PageShell>
  );
}
