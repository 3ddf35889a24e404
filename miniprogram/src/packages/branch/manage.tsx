import { Text, View } from '@tarojs/components';
import Taro, { useDidHide, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AttendanceRowView, CheckInCodeView, MeetingDetail } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import type { UploadedPhoto } from '../../api/upload';
import { Field, TextArea } from '../../components/Form';
import { PhotoEditor } from '../../components/PhotoEditor';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { formatRange } from '../../utils/time';
import { Line, STANDING, useLoadOnShow } from './shared';
import './branch.scss';

/** 会议管理 (secretary): the rotating code, roll-call, leave approval, minutes, closing. */
export default function ManageMeetingPage() {
  const id = useRouter().params.id ?? '';
  const [m, setM] = useState<MeetingDetail | null>(null);
  const [code, setCode] = useState<CheckInCodeView | null>(null);
  const [codeError, setCodeError] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [resolutions, setResolutions] = useState('');
  const [minutesError, setMinutesError] = useState('');
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const d = await call('branch', 'meeting', { meetingId: id });
      setM(d);
      if (d.minutes) {
        setText((t) => t || d.minutes!.text);
        setResolutions((r) => r || d.minutes!.resolutions.join('\n'));
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [id]);
  useLoadOnShow(load);

  const showCode = useCallback(async () => {
    clearTimeout(timer.current);
    try {
      const c = await call('branch', 'checkInCode', { meetingId: id });
      setCode(c);
      setCodeError('');
      timer.current = setTimeout(() => void showCode(), Math.max(1000, c.validUntil - Date.now()));
    } catch (err) {
      setCodeError(errorMessage(err));
    }
  }, [id]);
  useDidHide(() => clearTimeout(timer.current));
  useEffect(() => () => clearTimeout(timer.current), []);

  const act = async (work: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await work();
      if (done) Taro.showToast({ title: done, icon: 'success' });
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const saveMinutes = () => {
    if (text.trim().length < 5) return setMinutesError('会议记录至少 5 个字');
    void act(
      () =>
        call('branch', 'writeMinutes', {
          meetingId: id,
          text: text.trim(),
          ...(photos.length ? { photos: photos.map((p) => p.fileId) } : {}),
          resolutions: resolutions
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        }),
      '记录已保存',
    );
  };

  const close = async () => {
    const ok = await confirm(
      '结束会议',
      '结束后考勤不能再修改，未签到且未获准请假的计为缺席。确定结束吗？',
      '结束并统计',
    );
    if (ok) void act(() => call('branch', 'closeMeeting', { meetingId: id }), '已结束并统计');
  };

  if (error)
    return (
      <PageShell id="manage-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!m)
    return (
      <PageShell id="manage-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  const open = m.status === 'scheduled';
  const rows: AttendanceRowView[] = m.rows ?? [];
  const pending = rows.filter((r) => r.status === 'leavePending');
  return (
    <PageShell id="manage-page">
      <View className="card">
        <Text className="activity-card__title" {...heading(1)}>
          {m.kindName} · {m.title}
        </Text>
        <Line label="时间">{formatRange(m.startAt, m.endAt)}</Line>
        <Line label="地点">{m.place}</Line>
        {m.tally ? (
          <Line label="考勤">
            应到 {m.tally.expected} · 实到 {m.tally.present} · 请假 {m.tally.leave} · 缺席 {m.tally.absent}
          </Line>
        ) : null}
      </View>

      {open ? (
        <View className="card" id="manage-code">
          <Text className="section-title" {...heading(2)}>
            现场签到码
          </Text>
          {code ? (
            <Text
              className="branch-code"
              id="manage-code-value"
              aria-label={`签到码 ${code.code.split('').join(' ')}`}
            >
              {code.code}
            </Text>
          ) : null}
          {codeError ? <Text className="form-error">{codeError}</Text> : null}
          <Button
            id="manage-code-show"
            className="block-btn"
            type="primary"
            fill={code ? 'outline' : 'solid'}
            onClick={() => void showCode()}
          >
            {code ? '刷新签到码' : '显示签到码'}
          </Button>
        </View>
      ) : null}

      {pending.length ? (
        <View className="card" id="manage-leave">
          <Text className="section-title" {...heading(2)}>
            请假待审批（{pending.length}）
          </Text>
          {pending.map((r) => (
            <View key={r.openid} className="branch-row" id={`leave-${r.openid}`}>
              <Text>
                {r.name}：{r.leaveReason}
              </Text>
              <View className="branch-actions">
                <Button
                  id={`leave-approve-${r.openid}`}
                  className="branch-btn"
                  size="small"
                  type="primary"
                  disabled={busy}
                  onClick={() =>
                    void act(
                      () => call('branch', 'decideLeave', { meetingId: id, openid: r.openid, approve: true }),
                      '已批准',
                    )
                  }
                >
                  批准
                </Button>
                <Button
                  id={`leave-reject-${r.openid}`}
                  className="branch-btn"
                  size="small"
                  fill="outline"
                  disabled={busy}
                  onClick={() =>
                    void act(
                      () =>
                        call('branch', 'decideLeave', { meetingId: id, openid: r.openid, approve: false }),
                      '已退回',
                    )
                  }
                >
                  不批准
                </Button>
              </View>
            </View>
          ))}
        </View>
      ) : null}

      <View className="card" id="manage-roll">
        <Text className="section-title" {...heading(2)}>
          考勤（应到 {rows.length} 人）
        </Text>
        {rows.map((r) => (
          <View key={r.openid} className="branch-row" id={`roll-${r.openid}`}>
            <Text>{r.name || r.openid}</Text>
            <View className="branch-actions">
              <StatusTag label={STANDING[r.status].label} tone={STANDING[r.status].tone} />
              {open && r.status !== 'present' ? (
                <Button
                  id={`roll-mark-${r.openid}`}
                  className="branch-btn"
                  size="small"
                  fill="outline"
                  disabled={busy}
                  onClick={() =>
                    void act(() =>
                      call('branch', 'markAttendance', { meetingId: id, openid: r.openid, present: true }),
                    )
                  }
                >
                  标记到会
                </Button>
              ) : null}
            </View>
          </View>
        ))}
      </View>

      <View className="card" id="manage-minutes">
        <Text className="section-title" {...heading(2)}>
          会议记录
        </Text>
        <Field id="minutes-text" label="记录" error={minutesError}>
          <TextArea
            id="minutes-text"
            label="会议记录"
            value={text}
            max={5000}
            invalid={!!minutesError}
            onChange={(v) => {
              setText(v);
              setMinutesError('');
            }}
          />
        </Field>
        <Field id="minutes-resolutions" label="决议（每行一条，可不填）">
          <TextArea
            id="minutes-resolutions"
            label="决议"
            value={resolutions}
            max={2000}
            onChange={setResolutions}
          />
        </Field>
        <Field
          id="minutes-photos"
          label="照片（可不填）"
          hint={
            m.minutes?.photoUrls.length ? `已有 ${m.minutes.photoUrls.length} 张；重新上传将替换` : undefined
          }
        >
          <PhotoEditor id="minutes-photos" value={photos} onChange={setPhotos} />
        </Field>
        <Button id="minutes-save" className="block-btn" type="primary" disabled={busy} onClick={saveMinutes}>
          保存会议记录
        </Button>
      </View>

      {open ? (
        <View className="card">
          <Button
            id="manage-close"
            className="block-btn"
            fill="outline"
            disabled={busy}
            onClick={() => void close()}
          >
            结束会议并统计考勤
          </Button>
        </View>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
