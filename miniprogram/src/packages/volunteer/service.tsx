import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServiceDetail, SessionView } from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { openActivity } from '../../components/ActivityCard';
import { PageShell } from '../../components/PageShell';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { CHECK_IN_LABEL, PHASE, SIGNUP_STATUS, placesText } from '../../utils/labels';
import { showSignUpToast, useSubscribeAsk } from '../../utils/subscribe';
import { formatRange } from '../../utils/time';
import { Line, checkInOpen, hoursText, openVolunteer, param } from './shared';
import '../../styles/grievance.scss';
import './volunteer.scss';

const ACTIVE = new Set(['pending', 'confirmed', 'waitlisted']);

/** A listing (项目 · 岗位) with its sessions; each session applies through activity.signUp. */
export default function ServicePage() {
  const router = useRouter();
  const serviceId = param(router.params, 'id');
  const [detail, setDetail] = useState<ServiceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { confirm, confirmDialog } = useConfirm();
  const loaded = useRef(false);
  const askToSubscribe = useSubscribeAsk('activitySignUp');

  const load = useCallback(async () => {
    if (!serviceId) {
      setError('没有找到这项服务，请返回重试');
      return;
    }
    setError(null);
    try {
      setDetail(await call('volunteer', 'serviceDetail', { serviceId }));
      loaded.current = true;
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'NOT_FOUND'
          ? '这项服务不存在或已下线'
          : errorMessage(err),
      );
    }
  }, [serviceId]);

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (loaded.current) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const patchSession = (activityId: string, patch: Partial<SessionView>) =>
    setDetail((d) =>
      d
        ? { ...d, sessions: d.sessions.map((s) => (s.activityId === activityId ? { ...s, ...patch } : s)) }
        : d,
    );

  const apply = async (s: SessionView) => {
    if (busy) return;
    setBusy(s.activityId);
    const asked = askToSubscribe();
    try {
      if (asked) await asked;
      const r = await call('activity', 'signUp', { activityId: s.activityId });
      patchSession(s.activityId, { mySignUp: r.status, confirmedCount: r.confirmedCount });
      showSignUpToast(r);
      void load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      void load();
    } finally {
      setBusy(null);
    }
  };

  const cancel = async (s: SessionView) => {
    if (busy) return;
    const pending = s.mySignUp === 'pending';
    const ok = await confirm(
      pending ? '撤回申请？' : '取消报名？',
      `${formatRange(s.startAt, s.endAt)} 这一场${pending ? '的申请将撤回' : '的名额会让给其他志愿者'}，确定吗？`,
      pending ? '撤回申请' : '取消报名',
    );
    if (!ok) return;
    setBusy(s.activityId);
    try {
      await call('activity', 'cancelSignUp', { activityId: s.activityId });
      patchSession(s.activityId, { mySignUp: 'cancelled' });
      Taro.showToast({ title: pending ? '已撤回申请' : '已取消报名', icon: 'success' });
      void load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(null);
    }
  };

  if (!detail) return <PendingPage id="volunteer-service-page" error={error} onRetry={() => void load()} />;

  const closed = detail.status === 'closed';

  return (
    <PageShell id="volunteer-service-page">
      <View className="card">
        <View className="vol-head">
          <Text className="page-title" id="service-title" {...heading(1)}>
            {detail.title} · {detail.post}
          </Text>
          <StatusTag label={closed ? '已结束' : '招募中'} tone={closed ? 'grey' : 'green'} />
        </View>
        <Text className="muted">
          {detail.category} · {detail.communityName}
          {detail.hostUnits.length > 0 ? ` · ${detail.hostUnits.map((u) => u.name).join('、')}` : ''}
        </Text>
      </View>

      <View className="facts" aria-label="服务信息">
        <View className="fact" id="svc-fact-place">
          <Text className="fact__label">地点</Text>
          <View className="fact__value">
            <Text>{detail.place.name}</Text>
            {detail.place.address ? <Text className="muted vol-block">{detail.place.address}</Text> : null}
          </View>
        </View>
        <View className="fact" id="svc-fact-hours">
          <Text className="fact__label">服务时长</Text>
          <Text className="fact__value fact__value--key">每场 {hoursText(detail.hoursPerSession)} 小时</Text>
        </View>
        <View className="fact" id="svc-fact-places">
          <Text className="fact__label">名额</Text>
          <Text className="fact__value">每场 {detail.placesPerSession} 人</Text>
        </View>
        <View className="fact" id="svc-fact-review">
          <Text className="fact__label">报名方式</Text>
          <Text className="fact__value">{detail.review ? '报名后需社区审核' : '报名即确认'}</Text>
        </View>
        <View className="fact" id="svc-fact-skills">
          <Text className="fact__label">技能要求</Text>
          <Text className="fact__value">{detail.requiredSkills.join('、') || '无特殊要求'}</Text>
        </View>
        <View className="fact" id="svc-fact-checkin">
          <Text className="fact__label">签到方式</Text>
          <Text className="fact__value">{CHECK_IN_LABEL[detail.checkInMethod]}</Text>
        </View>
      </View>

      {detail.description ? (
        <View className="card">
          <Text className="section-title vol-card-title" {...heading(2)}>
            服务介绍
          </Text>
          <Text className="detail-desc" id="service-description">
            {detail.description}
          </Text>
        </View>
      ) : null}

      <View className="card" id="session-list">
        <Text className="section-title vol-card-title" {...heading(2)}>
          服务场次
        </Text>
        {detail.sessions.length === 0 ? <Text className="muted">暂无场次</Text> : null}
        {detail.sessions.map((s) => {
          const phase = PHASE[s.phase];
          const mine = s.mySignUp;
          const active = !!mine && ACTIVE.has(mine);
          const canApply = !active && (s.phase === 'open' || s.phase === 'full') && !closed;
          const canCheckIn = mine === 'confirmed' && checkInOpen(s);
          const when = formatRange(s.startAt, s.endAt);
          return (
            <View key={s.activityId} id={`session-${s.activityId}`} className="vol-session">
              <View className="vol-head">
                <Text className="vol-row__title">
                  第 {s.sessionNo} 场 · {when}
                </Text>
                <View className="vol-tags">
                  <StatusTag label={phase.label} tone={phase.tone} />
                  {mine && mine !== 'cancelled' ? (
                    <StatusTag
                      id={`session-${s.activityId}-mine`}
                      label={SIGNUP_STATUS[mine].label}
                      tone={SIGNUP_STATUS[mine].tone}
                    />
                  ) : null}
                </View>
              </View>
              <Line label="名额">
                <Text>{placesText(s.capacity, s.confirmedCount, s.waitlistCount)}</Text>
              </Line>
              {mine === 'pending' ? (
                <Text className="muted" {...roleProps('status')}>
                  申请已提交，社区审核后会通知你
                </Text>
              ) : null}
              <View className="vol-actions">
                {canCheckIn ? (
                  <Button
                    id={`session-${s.activityId}-checkin`}
                    type="primary"
                    aria-label={`签到签退 ${when}`}
                    onClick={() => openVolunteer('checkin', { id: s.activityId })}
                  >
                    签到 / 签退
                  </Button>
                ) : null}
                {canApply ? (
                  <Button
                    id={`session-${s.activityId}-apply`}
                    type="primary"
                    loading={busy === s.activityId}
                    disabled={!!busy}
                    aria-label={`报名 ${when}`}
                    onClick={() => void apply(s)}
                  >
                    {s.phase === 'full' ? '加入候补' : detail.review ? '申请报名' : '报名'}
                  </Button>
                ) : null}
                {active ? (
                  <Button
                    id={`session-${s.activityId}-cancel`}
                    fill="outline"
                    disabled={!!busy}
                    aria-label={`${mine === 'pending' ? '撤回申请' : '取消报名'} ${when}`}
                    onClick={() => void cancel(s)}
                  >
                    {mine === 'pending' ? '撤回申请' : '取消报名'}
                  </Button>
                ) : null}
                <Button
                  id={`session-${s.activityId}-open`}
                  fill="none"
                  aria-label={`查看详情 ${when}`}
                  onClick={() => openActivity(s.activityId)}
                >
                  查看详情
                </Button>
              </View>
            </View>
          );
        })}
      </View>
      {confirmDialog}
    </PageShell>
  );
}
