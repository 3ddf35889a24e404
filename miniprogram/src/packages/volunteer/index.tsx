import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointsSummary } from '../../../../types/points';
import type { ServiceProfile, VolunteerSettings } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import {
  REGISTRATION_STATUS,
  StarProgress,
  Stat,
  hoursText,
  openVolunteer,
  type VolunteerPage,
} from './shared';
import './volunteer.scss';
import { Icon, type IconName } from '../../components/Icon';

const ENTRIES: { id: string; label: string; icon: IconName; page: VolunteerPage; gold?: boolean }[] = [
  { id: 'hub-services', label: '找服务', icon: 'find', page: 'services' },
  { id: 'hub-hours', label: '时长积分', icon: 'clock', page: 'hours' },
  { id: 'hub-certificate', label: '星级证明', icon: 'star', page: 'certificate', gold: true },
  { id: 'hub-mall', label: '积分超市', icon: 'gift', page: 'mall', gold: true },
  { id: 'hub-redemptions', label: '我的兑换', icon: 'order', page: 'redemptions' },
  { id: 'hub-rankings', label: '服务排行', icon: 'top', page: 'rankings' },
  { id: 'hub-register', label: '登记信息', icon: 'user', page: 'register' },
  { id: 'hub-my-data', label: '我的数据', icon: 'file', page: 'my-data' },
];

/** The community's points rule in one sentence (only check-in/out hours earn points). */
function pointsRuleText(r: Pick<VolunteerSettings, 'pointsPerHour' | 'pointsExpiry'>): string {
  const earn =
    r.pointsPerHour > 0 ? `签到签退记录的服务时长每小时得 ${r.pointsPerHour} 积分` : '服务时长暂不计积分';
  const expiry = r.pointsExpiry
    ? `；未使用的积分每年 ${Number(r.pointsExpiry.slice(0, 2))}月${Number(r.pointsExpiry.slice(3))}日 清零`
    : '';
  return `积分规则：${earn}${expiry}。`;
}

/** 志愿服务 hub: my registration, stars, hours and points, and the way to everything else. */
export default function VolunteerHub() {
  const [profile, setProfile] = useState<ServiceProfile | null>(null);
  const [summary, setSummary] = useState<PointsSummary | null>(null);
  const [rules, setRules] = useState<VolunteerSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [p, s, r] = await Promise.all([
        call('volunteer', 'profile', {}),
        call('points', 'summary', {}).catch(() => null),
        call('volunteer', 'settings', {}).catch(() => null),
      ]);
      setProfile(p);
      setSummary(s);
      setRules(r);
      loaded.current = true;
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (loaded.current) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (!profile) return <PendingPage id="volunteer-hub-page" error={error} onRetry={() => void load()} />;

  const reg = profile.registration;
  const status = reg ? REGISTRATION_STATUS[reg.status] : null;

  return (
    <PageShell id="volunteer-hub-page">
      <Text className="page-title" {...heading(1)}>
        志愿服务
      </Text>

      {!reg ? (
        <View className="card vol-cta" id="hub-unregistered">
          <Text className="vol-title" {...heading(2)}>
            成为社区志愿者
          </Text>
          <Text className="muted vol-block">
            实名登记后即可报名志愿服务，服务时长实名记录、累积积分，可兑换社区好物。
          </Text>
          <View className="vol-actions">
            <Button
              id="hub-register-cta"
              className="block-btn"
              type="primary"
              size="large"
              block
              onClick={() => openVolunteer('register')}
            >
              立即登记
            </Button>
          </View>
        </View>
      ) : (
        <View className="card" id="hub-status">
          <View className="vol-head">
            <Text className="vol-title" {...heading(2)}>
              {reg.name} · {reg.communityName}
            </Text>
            {status ? <StatusTag id="hub-status-tag" label={status.label} tone={status.tone} /> : null}
          </View>
          {reg.status === 'pending' ? (
            <Text className="muted" id="hub-status-hint">
              登记已提交（{formatInstant(reg.submittedAt)}），社区审核通过后会通知你。
            </Text>
          ) : null}
          {reg.status === 'rejected' ? (
            <View id="hub-rejected">
              <Text className="vol-reason">未通过原因：{reg.rejectReason || '未说明'}</Text>
              <View className="vol-actions">
                <Button
                  id="hub-resubmit"
                  type="primary"
                  fill="outline"
                  onClick={() => openVolunteer('register', { edit: '1' })}
                >
                  修改后重新提交
                </Button>
              </View>
            </View>
          ) : null}
          <StarProgress star={profile.star} recordedHours={profile.recordedHours} />
          <View className="vol-stats">
            <Stat
              id="hub-total-hours"
              label="服务时长"
              unit="小时"
              value={hoursText(profile.totalHours)}
              onClick={() => openVolunteer('hours')}
            />
            <Stat id="hub-month-hours" label="本月时长" unit="小时" value={hoursText(profile.monthHours)} />
            <Stat
              id="hub-points"
              label="我的积分"
              value={profile.pointsBalance}
              gold
              onClick={() => openVolunteer('hours', { tab: 'points' })}
            />
          </View>
          {summary?.expiring && summary.expiring.points > 0 ? (
            <Text className="muted" id="hub-expiring">
              {summary.expiring.points} 积分将于 {formatInstant(summary.expiring.at)} 过期，记得去积分超市兑换
            </Text>
          ) : null}
          {rules ? (
            <Text className="muted" id="hub-rules">
              {pointsRuleText(rules)}
            </Text>
          ) : null}
        </View>
      )}

      <View className="vol-grid" aria-label="志愿服务功能" {...roleProps('navigation')}>
        {ENTRIES.filter((e) => reg || e.page !== 'register').map((e) => {
          const go = () => openVolunteer(e.page);
          return (
            <View
              key={e.id}
              id={e.id}
              className="vol-entry"
              aria-label={e.label}
              {...roleProps('button')}
              {...keyboardActivatable(go)}
              onClick={go}
            >
              <Icon name={e.icon} className={`vol-entry__mark ${e.gold ? 'vol-entry__mark--gold' : ''}`} />
              <Text className="vol-entry__text">{e.label}</Text>
            </View>
          );
        })}
      </View>

      <Button
        id="hub-find-services"
        className="block-btn"
        type="primary"
        fill="outline"
        size="large"
        block
        onClick={() => openVolunteer('services')}
      >
        去找志愿服务
      </Button>
    </PageShell>
  );
}
