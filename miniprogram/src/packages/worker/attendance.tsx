import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import type { ActivityDetail } from '../../../../types/api';
import type { AttendanceRow } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { TextDialog } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { SIGNUP_STATUS } from '../../utils/labels';
import { formatInstant, formatRange } from '../../utils/time';
import { CardHead, InfoLine, hoursText } from './volunteer-shared';

const STEP = 0.5;
const MAX_GRANT = 24;
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Grant {
  row: AttendanceRow;
  hours: number;
  reason: string;
  error: string;
}

function Total({ id, value, label }: { id: string; value: string; label: string }) {
  return (
    <View className="vw-total" id={id} {...roleProps('group', { 'aria-label': `${label} ${value}` })}>
      <Text className="vw-total__num">{value}</Text>
      <Text className="vw-total__label">{label}</Text>
    </View>
  );
}

export default function AttendancePage() {
  const router = useRouter();
  const activityId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [activity, setActivity] = useState<ActivityDetail | null>(null);
  const [updated, setUpdated] = useState<Record<string, AttendanceRow>>({});
  const [grant, setGrant] = useState<Grant | null>(null);
  const [busy, setBusy] = useState(false);
  const list = usePagedList(
    (cursor) => call('volunteer', 'attendance', { activityId, pageSize: 50, ...(cursor ? { cursor } : {}) }),
    activityId,
    !!activityId,
  );

  useEffect(() => {
    if (!activityId) return;
    call('activity', 'detail', { activityId })
      .then(setActivity)
      .catch(() => undefined);
  }, [activityId]);

  // Rows changed by a grant replace the listed ones until the next reload.
  const items = useMemo(() => list.items.map((r) => updated[r.openid] ?? r), [list.items, updated]);
  useEffect(() => setUpdated({}), [list.items]);

  const totals = useMemo(
    () => ({
      checkedIn: items.filter((r) => r.checkInAt).length,
      checkedOut: items.filter((r) => r.checkOutAt).length,
      recorded: round1(items.reduce((s, r) => s + r.recordedHours, 0)),
      granted: round1(items.reduce((s, r) => s + r.grantedHours, 0)),
    }),
    [items],
  );

  const duration = activity ? round1((activity.endAt - activity.startAt) / 3600_000) : null;

  const submitGrant = async () => {
    if (!grant || busy) return;
    const reason = grant.reason.trim();
    if (reason.length < 2) return setGrant({ ...grant, error: '请填写授予理由（至少 2 个字）' });
    if (reason.length > 200) return setGrant({ ...grant, error: '理由最多 200 字' });
    setBusy(true);
    try {
      const row = await call('volunteer', 'grantHours', {
        activityId,
        openid: grant.row.openid,
        hours: grant.hours,
        reason,
      });
      setUpdated((u) => ({ ...u, [row.openid]: row }));
      setGrant(null);
      Taro.showToast({ title: `已授予 ${grant.hours} 小时`, icon: 'success' });
    } catch (err) {
      setGrant({ ...grant, error: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const step = (delta: number) =>
    grant &&
    setGrant({ ...grant, error: '', hours: Math.min(MAX_GRANT, Math.max(STEP, grant.hours + delta)) });

  let body;
  if (!activityId)
    body = <ErrorState message="没有找到这个活动，请返回重试" onRetry={() => Taro.navigateBack()} />;
  else if (list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (items.length === 0)
    body = <EmptyState id="attendance-empty" text="还没有确认报名的志愿者" hint="报名确认后会出现在这里" />;
  else
    body = (
      <>
        {items.map((r) => {
          const st = SIGNUP_STATUS[r.signUpStatus];
          // The nickname in brackets only when it adds something (not the same as the real name).
          const name =
            r.realName && r.realName !== r.nickName
              ? `${r.realName}（${r.nickName}）`
              : r.realName || r.nickName;
          return (
            <View key={r.openid} id={`attendance-${r.openid}`} className="card">
              <CardHead title={name} label={st.label} tone={st.tone} />
              <InfoLine label="签到" id={`attendance-${r.openid}-in`}>
                {r.checkInAt ? formatInstant(r.checkInAt) : '未签到'}
              </InfoLine>
              <InfoLine label="签退" id={`attendance-${r.openid}-out`}>
                {r.checkOutAt ? formatInstant(r.checkOutAt) : '未签退'}
              </InfoLine>
              <InfoLine label="信用时长" id={`attendance-${r.openid}-recorded`}>
                {hoursText(r.recordedHours)}
              </InfoLine>
              <InfoLine label="荣誉时长" id={`attendance-${r.openid}-granted`}>
                {hoursText(r.grantedHours)}
              </InfoLine>
              {r.pointsAwarded > 0 ? (
                <InfoLine label="获得积分">
                  <Text className="vw-points">{`${r.pointsAwarded} 分`}</Text>
                </InfoLine>
              ) : null}
              {r.signUpStatus === 'confirmed' ? (
                <View className="vw-actions">
                  <Button
                    id={`grant-${r.openid}`}
                    fill="outline"
                    aria-label={`给 ${name} 授予荣誉时长`}
                    onClick={() => setGrant({ row: r, hours: 1, reason: '', error: '' })}
                  >
                    授予荣誉时长
                  </Button>
                </View>
              ) : null}
            </View>
          );
        })}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={items.length} />
      </>
    );

  return (
    <PageShell id="attendance-page">
      <Text className="page-title" {...heading(1)}>
        {activity ? `${activity.title} · 签到记录` : '签到记录'}
      </Text>
      {activity ? <Text className="muted">{formatRange(activity.startAt, activity.endAt)}</Text> : null}

      {activityId && !list.loading && !list.error ? (
        <View className="vw-totals" id="attendance-totals">
          <Total id="total-people" value={String(list.total)} label="已确认" />
          <Total id="total-checked-in" value={String(totals.checkedIn)} label="已签到" />
          <Total id="total-checked-out" value={String(totals.checkedOut)} label="已签退" />
          <Total id="total-recorded" value={String(totals.recorded)} label="信用时长" />
          <Total id="total-granted" value={String(totals.granted)} label="荣誉时长" />
        </View>
      ) : null}

      {activityId ? (
        <View className="vw-actions">
          <Button
            id="attendance-code"
            type="primary"
            onClick={() =>
              Taro.navigateTo({ url: `/packages/worker/checkin-code?id=${encodeURIComponent(activityId)}` })
            }
          >
            出示签到码
          </Button>
        </View>
      ) : null}

      <View id="attendance-list" className="vw-result" aria-live="polite">
        {body}
      </View>

      {grant ? (
        <TextDialog
          title={`授予 ${grant.row.realName || grant.row.nickName} 荣誉时长`}
          textLabel="授予理由（会记入审计日志）"
          text={grant.reason}
          onText={(v) => setGrant({ ...grant, reason: v, error: '' })}
          placeholder="如：活动前协助布置场地"
          max={200}
          error={grant.error}
          busy={busy}
          submitText="授予"
          submitId="grant-submit"
          onSubmit={() => void submitGrant()}
          onClose={() => setGrant(null)}
        >
          <View className="vw-stepper" {...roleProps('group', { 'aria-label': '授予时长' })}>
            <Button
              id="grant-minus"
              fill="outline"
              aria-label="减少 0.5 小时"
              disabled={grant.hours <= STEP}
              onClick={() => step(-STEP)}
            >
              －
            </Button>
            <Text className="vw-stepper__value" id="grant-hours" aria-live="polite">
              {hoursText(grant.hours)}
            </Text>
            <Button
              id="grant-plus"
              fill="outline"
              aria-label="增加 0.5 小时"
              disabled={grant.hours >= MAX_GRANT}
              onClick={() => step(STEP)}
            >
              ＋
            </Button>
          </View>
          <Text className="form-hint" id="grant-hint">
            {duration !== null
              ? `以 0.5 小时为单位，合计不超过活动时长 ${duration} 小时${grant.row.grantedHours > 0 ? `（已授予 ${grant.row.grantedHours} 小时）` : ''}。荣誉时长不计积分。`
              : '以 0.5 小时为单位，合计不超过活动时长。荣誉时长不计积分。'}
          </Text>
        </TextDialog>
      ) : null}
    </PageShell>
  );
}
