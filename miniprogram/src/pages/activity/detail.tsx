import { Text, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActivityDetail as Detail } from '../../../../types/api';
import { ApiCallError, call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { StatusTag } from '../../components/StatusTag';
import { PendingPage } from '../../components/States';
import { Button, Dialog } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { showSignUpToast, useSubscribeAsk } from '../../utils/subscribe';
import {
  AUDIENCE_LABEL,
  CANCEL_POLICY_LABEL,
  CHECK_IN_LABEL,
  PHASE,
  TYPE_LABEL,
  placesText,
} from '../../utils/labels';
import { formatInstant, formatRange } from '../../utils/time';
import './detail.scss';

/** Check-in is open from 1 h before the start until 1 day after the end (as the server checks). */
function checkInOpen(d: Pick<Detail, 'startAt' | 'endAt' | 'status'>, now = Date.now()): boolean {
  return d.status !== 'cancelled' && now >= d.startAt - 3600_000 && now < d.endAt + 24 * 3600_000;
}

const openPage = (url: string) => () => Taro.navigateTo({ url });

function Fact({
  label,
  children,
  id,
  keyValue = false,
}: {
  label: string;
  children: React.ReactNode;
  id?: string;
  keyValue?: boolean;
}) {
  return (
    <View className="fact" id={id}>
      <Text className="fact__label">{label}</Text>
      <View className={`fact__value ${keyValue ? 'fact__value--key' : ''}`}>{children}</View>
    </View>
  );
}

export default function ActivityDetailPage() {
  const router = useRouter();
  const activityId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelActivityOpen, setCancelActivityOpen] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [cancelReasonError, setCancelReasonError] = useState('');
  const loaded = useRef(false);
  /** Applications waiting for review, for the activity's managers (活动管理). */
  const [pendingCount, setPendingCount] = useState(0);

  const load = useCallback(async () => {
    if (!activityId) {
      setError('没有找到这个活动，请返回重试');
      return;
    }
    setError(null);
    try {
      const d = await call('activity', 'detail', { activityId });
      setDetail(d);
      if (d.canManage && d.signUpReview) {
        call('user', 'pendingSignUps', { activityId })
          .then((r) => setPendingCount(r.pending))
          .catch(() => undefined);
      }
      loaded.current = true;
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'NOT_FOUND' ? '活动不存在或已被删除' : errorMessage(err),
      );
    }
  }, [activityId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Template ids to ask about when signing up, fetched ahead: the dialog must open within the tap.
  const askToSubscribe = useSubscribeAsk('activitySignUp', !!detail && detail.canSignUp.ok);

  // Back from editing: show the latest.
  useDidShow(() => {
    if (loaded.current) void load();
  });

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const signUp = async () => {
    if (!detail || busy) return;
    setBusy(true);
    // First, still inside the tap: WeChat only opens the subscribe dialog from a direct tap.
    const asked = askToSubscribe();
    try {
      if (asked) await asked;
      const r = await call('activity', 'signUp', { activityId: detail._id });
      setDetail({
        ...detail,
        mySignUp: r.status,
        myWaitlistPosition: r.waitlistPosition,
        confirmedCount: r.confirmedCount,
        waitlistCount:
          r.status === 'waitlisted' && !r.alreadySignedUp ? detail.waitlistCount + 1 : detail.waitlistCount,
        canCancel: { ok: true },
      });
      showSignUpToast(r);
      void load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      void load();
    } finally {
      setBusy(false);
    }
  };

  const cancelSignUp = async () => {
    if (!detail) return;
    setConfirmCancel(false);
    setBusy(true);
    try {
      await call('activity', 'cancelSignUp', { activityId: detail._id });
      setDetail({ ...detail, mySignUp: 'cancelled', myWaitlistPosition: undefined });
      Taro.showToast({ title: detail.mySignUp === 'pending' ? '已撤回申请' : '已取消报名', icon: 'success' });
      void load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const cancelActivity = async () => {
    if (!detail) return;
    const reason = cancelReason.trim();
    if (reason.length < 2) {
      setCancelReasonError('请填写取消原因（至少 2 个字）');
      return;
    }
    setBusy(true);
    try {
      const d = await call('activity', 'cancelActivity', { activityId: detail._id, reason });
      setDetail(d);
      setCancelActivityOpen(false);
      Taro.showToast({ title: '活动已取消，已通知报名者', icon: 'none' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields?.reason) setCancelReasonError(err.fields.reason);
      else Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  if (!detail) return <PendingPage id="activity-detail-page" error={error} onRetry={() => void load()} />;

  const phase = PHASE[detail.phase];
  const mine = detail.mySignUp;
  const signedUp = mine === 'confirmed' || mine === 'waitlisted';
  const pending = mine === 'pending';
  const idParam = encodeURIComponent(detail._id);

  let action;
  let hint = '';
  if (mine === 'confirmed' && checkInOpen(detail)) {
    action = (
      <View className="manage-actions">
        {detail.canCancel.ok ? (
          <Button
            id="signup-btn"
            type="default"
            size="large"
            disabled={busy}
            onClick={() => setConfirmCancel(true)}
          >
            取消报名
          </Button>
        ) : null}
        <Button
          id="checkin-btn"
          type="primary"
          size="large"
          style={{ flex: 1 }}
          onClick={openPage(`/packages/volunteer/checkin?id=${idParam}`)}
        >
          签到 / 签退
        </Button>
      </View>
    );
    hint = '到达服务地点后签到，结束时签退，服务时长按签到签退时间记录';
  } else if (pending) {
    if (detail.canCancel.ok) {
      action = (
        <Button
          id="signup-btn"
          className="block-btn"
          type="default"
          size="large"
          block
          disabled={busy}
          onClick={() => setConfirmCancel(true)}
        >
          撤回申请
        </Button>
      );
    } else {
      action = (
        <Button id="signup-btn" className="block-btn" size="large" block disabled>
          待审核
        </Button>
      );
    }
    hint = '报名申请已提交，社区审核通过后会通知你';
  } else if (signedUp) {
    const label = mine === 'waitlisted' ? '取消候补' : '取消报名';
    if (detail.canCancel.ok) {
      action = (
        <Button
          id="signup-btn"
          className="block-btn"
          type="default"
          size="large"
          block
          disabled={busy}
          onClick={() => setConfirmCancel(true)}
        >
          {label}
        </Button>
      );
    } else {
      hint = detail.canCancel.reason ?? '已过可取消时间';
      action = (
        <Button id="signup-btn" className="block-btn" size="large" block disabled>
          {mine === 'waitlisted' ? '候补中' : '已报名'}
        </Button>
      );
    }
  } else if (detail.canSignUp.ok) {
    action = (
      <Button
        id="signup-btn"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void signUp()}
      >
        {detail.phase === 'full' ? '加入候补' : '立即报名'}
      </Button>
    );
    if (detail.phase === 'full') hint = '报名人数已满，可加入候补，有人取消时按顺序递补';
  } else {
    action = (
      <Button id="signup-btn" className="block-btn" size="large" block disabled>
        {detail.canSignUp.reason ?? phase.label}
      </Button>
    );
  }

  return (
    <PageShell id="activity-detail-page" withFooter>
      <View className="card">
        <View className="activity-card__head">
          <Text className="page-title" id="detail-title" {...heading(1)}>
            {detail.title}
          </Text>
          <StatusTag id="detail-phase" label={phase.label} tone={phase.tone} />
        </View>
        <Text className="muted">
          {TYPE_LABEL[detail.type]} · {detail.communityName}
        </Text>
        {signedUp ? (
          <View id="signup-result" className="signup-result" {...roleProps('status')}>
            <Text>{mine === 'waitlisted' ? `候补第 ${detail.myWaitlistPosition ?? '-'} 位` : '已报名'}</Text>
          </View>
        ) : null}
        {pending || mine === 'rejected' ? (
          <View id="signup-result" {...roleProps('status')}>
            <StatusTag
              label={pending ? '待审核' : '未通过审核'}
              tone={pending ? 'orange' : 'grey'}
              id="signup-review-status"
            />
          </View>
        ) : null}
        {detail.status === 'cancelled' && detail.cancelReason ? (
          <Text className="form-error" id="detail-cancel-reason">
            活动已取消：{detail.cancelReason}
          </Text>
        ) : null}
      </View>

      {detail.canManage ? (
        <View className="card" id="manage-panel">
          <Text className="section-title" {...heading(2)}>
            活动管理
          </Text>
          {pendingCount > 0 ? (
            <View
              id="manage-pending"
              className="manage-pending"
              {...roleProps('link')}
              aria-label={`${pendingCount} 人报名待审核，去审核`}
              {...keyboardActivatable(openPage(`/packages/worker/participants?id=${idParam}&tab=pending`))}
              onClick={openPage(`/packages/worker/participants?id=${idParam}&tab=pending`)}
            >
              <StatusTag label={`待审核 ${pendingCount} 人`} tone="orange" />
              <Text className="muted">去审核 ›</Text>
            </View>
          ) : null}
          <View className="manage-actions">
            <Button
              id="manage-participants"
              type="primary"
              fill="outline"
              onClick={() =>
                Taro.navigateTo({ url: `/packages/worker/participants?id=${encodeURIComponent(detail._id)}` })
              }
            >
              {pendingCount > 0 ? `报名名单（${pendingCount} 待审核）` : '报名名单'}
            </Button>
            <Button
              id="manage-checkin-code"
              type="primary"
              fill="outline"
              onClick={openPage(`/packages/worker/checkin-code?id=${idParam}`)}
            >
              签到码
            </Button>
            <Button
              id="manage-attendance"
              type="primary"
              fill="outline"
              onClick={openPage(`/packages/worker/attendance?id=${idParam}`)}
            >
              服务记录
            </Button>
            {detail.status !== 'cancelled' && detail.phase !== 'ended' ? (
              <>
                <Button
                  id="manage-edit"
                  type="primary"
                  fill="outline"
                  onClick={() =>
                    Taro.navigateTo({ url: `/packages/worker/publish?id=${encodeURIComponent(detail._id)}` })
                  }
                >
                  编辑
                </Button>
                <Button
                  id="manage-cancel"
                  type="danger"
                  fill="outline"
                  onClick={() => {
                    setCancelReason('');
                    setCancelReasonError('');
                    setCancelActivityOpen(true);
                  }}
                >
                  取消活动
                </Button>
              </>
            ) : null}
          </View>
        </View>
      ) : null}

      <View className="facts" aria-label="活动信息">
        <Fact label="时间" id="fact-time" keyValue>
          <Text>{formatRange(detail.startAt, detail.endAt)}</Text>
        </Fact>
        <Fact label="地点" id="fact-place">
          <Text>{detail.place.name}</Text>
          {detail.place.address ? <Text className="muted">{`\n${detail.place.address}`}</Text> : null}
        </Fact>
        <Fact label="名额" id="fact-places" keyValue>
          <Text>{placesText(detail.capacity, detail.confirmedCount, detail.waitlistCount)}</Text>
        </Fact>
        <Fact label="报名时间" id="fact-signup-window">
          <Text>
            {formatInstant(detail.signUpStartAt)} 至 {formatInstant(detail.signUpEndAt)}
          </Text>
        </Fact>
        <Fact label="参加对象" id="fact-audience">
          <Text>{AUDIENCE_LABEL[detail.audience]}</Text>
        </Fact>
        <Fact label="取消规则" id="fact-cancel-policy">
          <Text>{CANCEL_POLICY_LABEL[detail.cancelPolicy]}</Text>
        </Fact>
        <Fact label="签到方式" id="fact-checkin">
          <Text>{CHECK_IN_LABEL[detail.checkInMethod]}</Text>
        </Fact>
        {detail.hours > 0 || detail.points > 0 ? (
          <Fact label="服务记录" id="fact-hours">
            <Text>
              {detail.hours > 0 ? `服务时长 ${detail.hours} 小时` : ''}
              {detail.hours > 0 && detail.points > 0 ? ' · ' : ''}
              {detail.points > 0 ? `积分 ${detail.points}` : ''}
            </Text>
          </Fact>
        ) : null}
      </View>

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          活动介绍
        </Text>
        <Text className="detail-desc" id="detail-description">
          {detail.description || '暂无介绍'}
        </Text>
      </View>

      {detail.hostUnits.length > 0 ? (
        <View className="card">
          <Text className="section-title" {...heading(2)}>
            共建单位
          </Text>
          {detail.hostUnits.map((u) => (
            <Text key={u._id} className="host-unit">
              {u.name}
            </Text>
          ))}
        </View>
      ) : null}

      <View className="footer-bar" id="detail-footer">
        {hint ? (
          <Text className="footer-bar__hint" id="signup-hint">
            {hint}
          </Text>
        ) : null}
        {action}
      </View>

      <Dialog
        id="confirm-cancel-signup"
        visible={confirmCancel}
        title={mine === 'waitlisted' ? '取消候补？' : pending ? '撤回申请？' : '取消报名？'}
        content={
          mine === 'waitlisted'
            ? '取消后将失去候补位置。'
            : pending
              ? '撤回后如需参加，需要重新申请。'
              : '取消后名额会让给候补的居民，确定取消吗？'
        }
        confirmText="确定取消"
        cancelText="再想想"
        onConfirm={() => void cancelSignUp()}
        onCancel={() => setConfirmCancel(false)}
        onClose={() => setConfirmCancel(false)}
      />
      <Dialog
        id="cancel-activity-dialog"
        visible={cancelActivityOpen}
        title="取消活动"
        confirmText="确定取消活动"
        cancelText="返回"
        disableConfirmButton={busy}
        beforeClose={() => false}
        onConfirm={() => void cancelActivity()}
        onCancel={() => setCancelActivityOpen(false)}
        content={
          <View className="cancel-activity">
            <Text className="form-label" id="cancel-reason-label">
              取消原因（会通知已报名的居民）
            </Text>
            <Textarea
              id="cancel-reason"
              className={`form-textarea ${cancelReasonError ? 'form-invalid' : ''}`}
              value={cancelReason}
              maxlength={100}
              placeholder="例如：因天气原因活动延期"
              aria-label="取消原因"
              nativeProps={{ 'aria-label': '取消原因' }}
              onInput={(e) => {
                setCancelReason(e.detail.value);
                if (cancelReasonError) setCancelReasonError('');
              }}
            />
            {cancelReasonError ? (
              <Text className="form-error" id="cancel-reason-error" {...roleProps('alert')}>
                {cancelReasonError}
              </Text>
            ) : null}
          </View>
        }
      />
    </PageShell>
  );
}
