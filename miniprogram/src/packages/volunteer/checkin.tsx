import { Input, Picker, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { ActivityDetail } from '../../../../types/api';
import type { AttendanceView, CheckInProof } from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { CHECK_IN_LABEL, SIGNUP_STATUS } from '../../utils/labels';
import { formatInstant, formatRange, fromParts, toParts } from '../../utils/time';
import { Line, checkInOpen, hoursText, locate, openVolunteer, param } from './shared';
import '../../styles/grievance.scss';
import './volunteer.scss';

type Step = 'in' | 'out' | 'done';

function stepOf(att: AttendanceView): Step {
  if (!att.checkInAt) return 'in';
  if (!att.checkOutAt) return 'out';
  return 'done';
}

/** 补卡: times of the session day the volunteer says they came and left, and why it was missed. */
function MakeupForm({
  activity,
  attendance,
  onDone,
}: {
  activity: ActivityDetail;
  attendance: AttendanceView;
  onDone: () => void;
}) {
  const start = toParts(attendance.checkInAt ?? activity.startAt);
  const end = toParts(attendance.checkOutAt ?? activity.endAt);
  const [inTime, setInTime] = useState(start.time);
  const [outTime, setOutTime] = useState(end.time);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ times?: string; reason?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    const checkInAt = fromParts(start.date, inTime);
    const checkOutAt = fromParts(end.date, outTime);
    const e: typeof errors = {};
    if (!(checkOutAt > checkInAt)) e.times = '签退时间须晚于签到时间';
    if (reason.trim().length < 2) e.reason = '请写明漏签的原因（至少 2 个字）';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      await call('volunteer', 'requestMakeup', {
        activityId: activity._id,
        checkInAt,
        checkOutAt,
        reason: reason.trim(),
      });
      Taro.showToast({ title: '补卡申请已提交，等待审核', icon: 'none' });
      onDone();
    } catch (err) {
      if (err instanceof ApiCallError && err.fields)
        setErrors({ times: err.fields.checkOutAt ?? err.fields.checkInAt, reason: err.fields.reason });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View id="makeup-form">
      <Field id="makeup-times" label="实际服务时间" error={errors.times} hint={`服务日期 ${start.date}`}>
        <View className="form-row">
          <Picker mode="time" value={inTime} onChange={(e) => setInTime(String(e.detail.value))}>
            <View
              id="makeup-in"
              className="form-picker"
              aria-label={`到达时间 ${inTime}，点按更改`}
              {...roleProps('button')}
            >
              <Text>到达 {inTime}</Text>
            </View>
          </Picker>
          <Picker mode="time" value={outTime} onChange={(e) => setOutTime(String(e.detail.value))}>
            <View
              id="makeup-out"
              className="form-picker"
              aria-label={`离开时间 ${outTime}，点按更改`}
              {...roleProps('button')}
            >
              <Text>离开 {outTime}</Text>
            </View>
          </Picker>
        </View>
      </Field>
      <Field id="makeup-reason" label="补卡理由" error={errors.reason}>
        <TextArea
          id="makeup-reason"
          label="补卡理由"
          value={reason}
          max={200}
          placeholder="例如：手机没电，忘记签退"
          invalid={!!errors.reason}
          onChange={(v) => {
            setReason(v);
            if (errors.reason) setErrors((x) => ({ ...x, reason: undefined }));
          }}
        />
      </Field>
      <Button
        id="makeup-submit"
        className="block-btn"
        type="primary"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void submit()}
      >
        提交补卡申请
      </Button>
    </View>
  );
}

/** 签到 / 签退 for one session: scan the organiser's QR, type the 6-digit code, or by location. */
export default function CheckInPage() {
  const router = useRouter();
  const activityId = param(router.params, 'id');
  const [activity, setActivity] = useState<ActivityDetail | null>(null);
  const [attendance, setAttendance] = useState<AttendanceView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState('');
  const [busy, setBusy] = useState(false);
  const [makeupOpen, setMakeupOpen] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    if (!activityId) {
      setError('没有找到这个活动，请返回重试');
      return;
    }
    setError(null);
    try {
      const [a, att] = await Promise.all([
        call('activity', 'detail', { activityId }),
        call('volunteer', 'myAttendance', { activityId }),
      ]);
      setActivity(a);
      setAttendance(att);
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'NOT_FOUND' ? '活动不存在或已被删除' : errorMessage(err),
      );
    }
  }, [activityId]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (!activity || attendance === undefined)
    return <PendingPage id="volunteer-checkin-page" error={error} onRetry={() => void load()} />;

  const step = attendance ? stepOf(attendance) : 'in';
  const verb = step === 'out' ? '签退' : '签到';
  const method = activity.checkInMethod;
  const windowOpen = checkInOpen(activity);
  const eligible = attendance?.signUpStatus === 'confirmed';

  const send = async (proof: CheckInProof) => {
    if (busy || step === 'done') return;
    // Check-out ends the session for good: hours are recorded from check-in to now.
    if (step === 'out') {
      const early = Date.now() < activity.endAt;
      const ok = await confirm(
        '确认签退？',
        // Matches domain/volunteer.recordedHours: the part inside the session, in half hours,
        // at most the session's hours.
        `${early ? `服务预计 ${formatInstant(activity.endAt)} 结束。现在签退，` : ''}时长按本场时间内签到到${
          early ? '此刻' : '签退'
        }计算，按半小时取整${activity.hours > 0 ? `，最多计 ${activity.hours} 小时（本场时长）` : ''}。签退后不能再次签到。`,
        '确认签退',
      );
      if (!ok) return;
    }
    setBusy(true);
    try {
      const r =
        step === 'in'
          ? await call('volunteer', 'checkIn', { activityId, proof })
          : await call('volunteer', 'checkOut', { activityId, proof });
      setAttendance(r);
      setCode('');
      Taro.showToast({ title: `${verb}成功`, icon: 'success' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields?.['proof.code']) setCodeError(err.fields['proof.code']);
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  const byCode = () => {
    const c = code.trim();
    if (!/^\d{6}$/.test(c)) {
      setCodeError('请输入 6 位签到码');
      return;
    }
    setCodeError('');
    void send({ method: 'code', code: c });
  };

  const byScan = async () => {
    let payload = '';
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      payload = String(r.result ?? '').trim();
    } catch {
      return; // closed the scanner
    }
    if (!payload.startsWith(`tongxin:checkin:${activityId}:`)) {
      Taro.showToast({
        title: '这不是本场服务的签到码，请扫描现场的签到二维码',
        icon: 'none',
        duration: 3000,
      });
      return;
    }
    void send({ method: 'qr', payload });
  };

  const byLocation = async () => {
    if (busy) return;
    const pos = await locate('请改用签到码或联系组织者');
    if (pos) void send({ method: 'gps', lat: pos.lat, lng: pos.lng });
  };

  const status = attendance ? SIGNUP_STATUS[attendance.signUpStatus] : null;

  let body;
  if (!eligible) {
    body = (
      <View className="card" id="checkin-ineligible" {...roleProps('status')}>
        <Text>
          {attendance?.signUpStatus === 'pending'
            ? '你的报名还在审核中，审核通过后才能签到。'
            : '你还没有报名这场服务（或报名未确认），不能签到。'}
        </Text>
        <View className="vol-actions">
          <Button
            id="checkin-open-activity"
            type="primary"
            fill="outline"
            onClick={() =>
              Taro.navigateTo({ url: `/pages/activity/detail?id=${encodeURIComponent(activity._id)}` })
            }
          >
            查看活动
          </Button>
        </View>
      </View>
    );
  } else if (step === 'done' && attendance) {
    body = (
      <View className="card" id="checkin-done" {...roleProps('status')}>
        <Text className="vol-result">本次服务已完成，感谢你的付出！</Text>
        <View className="vol-stats">
          <View className="vol-stat" id="checkin-hours">
            <Text className="vol-stat__value">{hoursText(attendance.recordedHours)}</Text>
            <Text className="vol-stat__label">记录时长（小时）</Text>
          </View>
          <View className="vol-stat" id="checkin-points">
            <Text className="vol-stat__value vol-gold">+{attendance.pointsAwarded}</Text>
            <Text className="vol-stat__label">获得积分</Text>
          </View>
        </View>
        {attendance.grantedHours > 0 ? (
          <Text className="muted">另有荣誉时长 {hoursText(attendance.grantedHours)} 小时</Text>
        ) : null}
        <View className="vol-actions">
          <Button id="checkin-see-hours" type="primary" fill="outline" onClick={() => openVolunteer('hours')}>
            查看时长和积分
          </Button>
        </View>
      </View>
    );
  } else if (!windowOpen) {
    body = (
      <View className="card" id="checkin-closed" {...roleProps('status')}>
        <Text>
          {Date.now() < activity.startAt
            ? '签到尚未开始：服务开始前 1 小时开放签到。'
            : '签到已截止：服务结束后 1 天内可以签到签退。漏签可以申请补卡。'}
        </Text>
      </View>
    );
  } else {
    body = (
      <View className="card" id="checkin-actions">
        <Text className="section-title vol-card-title" {...heading(2)}>
          {step === 'in' ? '到达后签到' : '结束后签退'}
        </Text>
        {method === 'gps' ? (
          <>
            <Text className="muted">在服务地点附近（500 米内）点按下方按钮{verb}。</Text>
            <Button
              id="checkin-gps"
              className="block-btn"
              type="primary"
              size="large"
              block
              loading={busy}
              disabled={busy}
              onClick={() => void byLocation()}
            >
              定位{verb}
            </Button>
          </>
        ) : (
          <>
            {process.env.TARO_ENV === 'weapp' ? (
              <Button
                id="checkin-scan"
                className="block-btn"
                type="primary"
                size="large"
                block
                disabled={busy}
                onClick={() => void byScan()}
              >
                扫码{verb}
              </Button>
            ) : null}
            <Field
              id="checkin-code"
              label={`输入${verb}码`}
              error={codeError}
              hint="组织者屏幕上的 6 位数字，每分钟更新"
            >
              <Input
                id="checkin-code"
                className={`form-input vol-code-input ${codeError ? 'form-invalid' : ''}`}
                type="number"
                maxlength={6}
                value={code}
                placeholder="6 位数字"
                aria-label={`${verb}码`}
                nativeProps={{
                  'aria-label': `${verb}码`,
                  inputMode: 'numeric',
                  autoComplete: 'one-time-code',
                }}
                onInput={(e) => {
                  setCode(e.detail.value);
                  if (codeError) setCodeError('');
                }}
                onConfirm={byCode}
              />
            </Field>
            <Button
              id="checkin-code-submit"
              className="block-btn"
              type={process.env.TARO_ENV === 'weapp' ? 'default' : 'primary'}
              size="large"
              block
              loading={busy}
              disabled={busy}
              onClick={byCode}
            >
              确认{verb}
            </Button>
          </>
        )}
      </View>
    );
  }

  return (
    <PageShell id="volunteer-checkin-page">
      <View className="card">
        <View className="vol-head">
          <Text className="page-title" id="checkin-title" {...heading(1)}>
            {activity.title}
          </Text>
          {status ? <StatusTag label={status.label} tone={status.tone} /> : null}
        </View>
        <Line label="时间">
          <Text>{formatRange(activity.startAt, activity.endAt)}</Text>
        </Line>
        <Line label="地点">
          <Text>{activity.place.name}</Text>
        </Line>
        <Line label="签到方式" id="checkin-method">
          <Text>{CHECK_IN_LABEL[method]}</Text>
        </Line>
        {attendance?.checkInAt ? (
          <Line label="签到时间" id="checkin-in-at">
            <Text>{formatInstant(attendance.checkInAt)}</Text>
          </Line>
        ) : null}
        {attendance?.checkOutAt ? (
          <Line label="签退时间" id="checkin-out-at">
            <Text>{formatInstant(attendance.checkOutAt)}</Text>
          </Line>
        ) : null}
      </View>

      {body}

      {/* 补卡 once the session has started and until check-out is recorded (as the server allows). */}
      {eligible && attendance && step !== 'done' && Date.now() >= activity.startAt ? (
        <View className="card" id="makeup">
          {makeupOpen ? (
            <MakeupForm
              activity={activity}
              attendance={attendance}
              onDone={() => {
                setMakeupOpen(false);
                openVolunteer('hours', { tab: 'makeups' });
              }}
            />
          ) : (
            <View className="vol-switch-row">
              <Text className="muted">忘了签到或签退？</Text>
              <Button id="makeup-open" fill="outline" onClick={() => setMakeupOpen(true)}>
                申请补卡
              </Button>
            </View>
          )}
        </View>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
