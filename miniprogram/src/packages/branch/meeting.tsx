import { Image, Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { MeetingDetail } from '../../../../types/branch';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { formatRange } from '../../utils/time';
import { Line, STANDING, go, useBranchSubscribe, useLoadOnShow } from './shared';
import './branch.scss';

/** 会议详情: key facts, agenda, my attendance (check in by the 6-digit code, or ask leave), minutes. */
export default function MeetingPage() {
  const id = useRouter().params.id ?? '';
  const [m, setM] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setM(await call('branch', 'meeting', { meetingId: id }));
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'FORBIDDEN'
          ? '只有本支部党员和社区工作者可以查看'
          : errorMessage(err),
      );
    }
  }, [id]);
  useLoadOnShow(load);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  // Checking in or asking leave asks (once per visit) for reminders and the leave decision.
  const askToSubscribe = useBranchSubscribe(!!m?.mine && m.status === 'scheduled');

  const checkIn = async () => {
    if (!/^\d{6}$/.test(code.trim())) return setCodeError('请输入 6 位签到码');
    const asked = askToSubscribe();
    setBusy(true);
    try {
      if (asked) await asked;
      await call('branch', 'checkIn', { meetingId: id, code: code.trim() });
      Taro.showToast({ title: '签到成功', icon: 'success' });
      setCode('');
      await load();
    } catch (err) {
      setCodeError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const askLeave = async () => {
    if (reason.trim().length < 2) return setReasonError('请填写请假理由（至少 2 个字）');
    const asked = askToSubscribe();
    setBusy(true);
    try {
      if (asked) await asked;
      await call('branch', 'requestLeave', { meetingId: id, reason: reason.trim() });
      Taro.showToast({ title: '已提交，等待书记审批', icon: 'none' });
      setAsking(false);
      await load();
    } catch (err) {
      setReasonError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <PageShell id="meeting-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!m)
    return (
      <PageShell id="meeting-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  const mine = m.mine ? STANDING[m.mine] : null;
  const open = m.status === 'scheduled';
  const canCheckIn = open && m.mine && m.mine !== 'present' && m.mine !== 'leaveApproved';
  const canLeave = open && (m.mine === 'expected' || m.mine === 'leaveRejected');
  return (
    <PageShell id="meeting-page">
      <View className="card">
        <View className="activity-card__head">
          <Text className="activity-card__title" {...heading(1)}>
            {m.kindName} · {m.title}
          </Text>
          {mine ? <StatusTag id="meeting-mine" label={mine.label} tone={mine.tone} /> : null}
        </View>
        <Line label="时间">{formatRange(m.startAt, m.endAt)}</Line>
        <Line label="地点">{m.place}</Line>
        <Line label="支部">{m.branchName}</Line>
        <Line label="应到">{m.expectedCount} 人</Line>
        {m.tally ? (
          <Line label="考勤">
            实到 {m.tally.present} · 请假 {m.tally.leave} · 缺席 {m.tally.absent}
          </Line>
        ) : null}
        {m.myLeaveReason ? <Line label="请假理由">{m.myLeaveReason}</Line> : null}
        {m.isSecretary ? (
          <View className="branch-actions">
            <Button
              id="meeting-manage"
              className="branch-btn"
              type="primary"
              onClick={go(`/packages/branch/manage?id=${m._id}`)}
            >
              会议管理（签到码、考勤、记录）
            </Button>
          </View>
        ) : null}
      </View>

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          议程
        </Text>
        {m.agenda.map((a, i) => (
          <Text key={i} className="branch-agenda__item">
            {i + 1}. {a}
          </Text>
        ))}
      </View>

      {canCheckIn ? (
        <View className="card" id="meeting-checkin">
          <Field
            id="meeting-code"
            label="签到"
            error={codeError}
            hint="输入书记屏幕上的 6 位签到码，每分钟更新"
          >
            <Input
              id="meeting-code"
              className={`form-input ${codeError ? 'form-invalid' : ''}`}
              type="number"
              maxlength={6}
              value={code}
              placeholder="6 位数字"
              aria-label="签到码"
              nativeProps={{ 'aria-label': '签到码', inputMode: 'numeric' }}
              onInput={(e) => {
                setCode(e.detail.value);
                setCodeError('');
              }}
            />
          </Field>
          <Button
            id="meeting-checkin-submit"
            className="block-btn"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() => void checkIn()}
          >
            签到
          </Button>
        </View>
      ) : null}

      {canLeave ? (
        <View className="card" id="meeting-leave">
          {asking ? (
            <>
              <Field id="meeting-leave-reason" label="请假理由" error={reasonError}>
                <TextArea
                  id="meeting-leave-reason"
                  label="请假理由"
                  value={reason}
                  max={100}
                  invalid={!!reasonError}
                  placeholder="如：外出务工、身体不适"
                  onChange={(v) => {
                    setReason(v);
                    setReasonError('');
                  }}
                />
              </Field>
              <Button
                id="meeting-leave-submit"
                className="block-btn"
                type="primary"
                loading={busy}
                disabled={busy}
                onClick={() => void askLeave()}
              >
                提交请假
              </Button>
            </>
          ) : (
            <Button
              id="meeting-leave-open"
              className="block-btn"
              fill="outline"
              onClick={() => setAsking(true)}
            >
              不能参加，我要请假
            </Button>
          )}
        </View>
      ) : null}

      {m.minutes ? (
        <View className="card" id="meeting-minutes">
          <Text className="section-title" {...heading(2)}>
            会议记录
          </Text>
          <Text className="branch-agenda__item">{m.minutes.text}</Text>
          {m.minutes.resolutions.length ? (
            <>
              <Text className="line-label">决议</Text>
              {m.minutes.resolutions.map((r, i) => (
                <Text key={i} className="branch-agenda__item">
                  {i + 1}. {r}
                </Text>
              ))}
            </>
          ) : null}
          {m.minutes.photoUrls.map((u, i) => (
            <Image
              key={u}
              src={u}
              mode="aspectFill"
              lazyLoad
              className="branch-photo"
              aria-label={`会议照片 ${i + 1}`}
            />
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}
