import { Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { RoleGrant } from '../../../../types/domain';
import type { MeView } from '../../../../types/api';
import type { ServiceProfile } from '../../../../types/volunteer';
import { call, errorMessage, fetchConfig, logout, redirectToLogin } from '../../api';
import { PageShell } from '../../components/PageShell';
import { StatusTag } from '../../components/StatusTag';
import { ErrorState, ListSkeleton } from '../../components/States';
import {
  isHandler,
  isMember,
  isUnitStaff,
  isWorker,
  loadMe,
  resetSession,
  setCareMode,
  useSession,
} from '../../store/session';
import { useUnreadBadge } from '../../store/unread';
import { useTabBarSelected } from '../../custom-tab-bar/state';
import { Cell, CellGroup, Switch } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { ROLE_LABEL } from '../../utils/labels';
import './index.scss';

function scopeName(grant: RoleGrant, me: MeView): string {
  if (grant.communityId) return me.communities.find((c) => c._id === grant.communityId)?.name ?? '';
  return '';
}

/** Residents hold "resident" implicitly; show it when no other role is held. */
function visibleRoles(me: MeView): RoleGrant[] {
  const roles = me.user.roles.filter((r) => r.role !== 'resident');
  return roles.length > 0 ? roles : [{ role: 'resident' }];
}

/** H5 demo mode (asked once per app run): shows the developer tools. */
let demoMode: Promise<boolean> | null = null;
function isDemo(): Promise<boolean> {
  if (process.env.TARO_ENV !== 'h5') return Promise.resolve(false);
  if (!demoMode) {
    demoMode = fetchConfig()
      .then((c) => c.demo === true)
      .catch(() => {
        demoMode = null;
        return false;
      });
  }
  return demoMode;
}

const go = (url: string) => () => Taro.navigateTo({ url });

const REG_STATUS = {
  pending: { label: '登记待审核', tone: 'orange' },
  approved: { label: '注册志愿者', tone: 'green' },
  rejected: { label: '登记未通过', tone: 'red' },
} as const;

/** 志愿服务 on 我的: stars, hours and points, each opening its page; or the way to register. */
function VolunteerCard({ profile }: { profile: ServiceProfile | null }) {
  const reg = profile?.registration;
  if (!profile || !reg) {
    return (
      <CellGroup className="me__group">
        <Cell
          id="entry-volunteer"
          title="志愿服务"
          description={profile ? '实名登记成为志愿者，服务时长可累积积分' : '时长、积分、星级和服务证明'}
          extra={profile ? '去登记 ›' : '›'}
          clickable
          onClick={go(profile ? '/packages/volunteer/register' : '/packages/volunteer/index')}
        />
      </CellGroup>
    );
  }
  const st = REG_STATUS[reg.status];
  const stars = profile.star.stars;
  const hours = Math.round(profile.totalHours * 10) / 10;
  const stat = (id: string, label: string, value: string, url: string, gold = false, unit = '') => (
    <View
      id={id}
      className="me__vol-stat"
      aria-label={`${label} ${value}，查看`}
      {...roleProps('link')}
      {...keyboardActivatable(go(url))}
      onClick={go(url)}
    >
      <Text className={`me__vol-value ${gold ? 'me__vol-value--gold' : ''}`}>
        {value}
        {unit ? <Text className="me__vol-unit"> {unit}</Text> : null}
      </Text>
      <Text className="me__vol-label">{label}</Text>
    </View>
  );
  return (
    <View className="card me__vol" id="me-volunteer">
      <View
        className="me__vol-head"
        {...roleProps('link')}
        aria-label="志愿服务，进入志愿服务首页"
        {...keyboardActivatable(go('/packages/volunteer/index'))}
        onClick={go('/packages/volunteer/index')}
      >
        <Text className="me__vol-title" {...heading(2)}>
          志愿服务
        </Text>
        <StatusTag label={st.label} tone={st.tone} />
        <Text className="me__vol-more" aria-hidden="true">
          ›
        </Text>
      </View>
      <View className="me__vol-stats">
        {stat(
          'me-volunteer-stars',
          '星级',
          stars > 0 ? `${'★'.repeat(stars)}` : '未评星',
          '/packages/volunteer/certificate',
          true,
        )}
        {stat('me-volunteer-hours', '服务时长', String(hours), '/packages/volunteer/hours', false, '小时')}
        {stat('me-volunteer-points', '积分', String(profile.pointsBalance), '/packages/volunteer/mall', true)}
      </View>
    </View>
  );
}

export default function MePage() {
  const { me, meError, careMode } = useSession();
  const [demo, setDemo] = useState(false);
  const [volunteer, setVolunteer] = useState<ServiceProfile | null>(null);

  // The volunteer card is extra: when it cannot load, 我的 shows a plain entry instead.
  const loadVolunteer = () => {
    call('volunteer', 'profile', {})
      .then(setVolunteer)
      .catch(() => undefined);
  };

  useEffect(() => {
    loadMe().catch(() => undefined);
    loadVolunteer();
    let alive = true;
    void isDemo().then((d) => {
      if (alive) setDemo(d);
    });
    return () => {
      alive = false;
    };
  }, []);
  useUnreadBadge();
  useTabBarSelected('pages/me/index');

  usePullDownRefresh(() => {
    loadVolunteer();
    loadMe(true)
      .catch(() => undefined)
      .finally(() => Taro.stopPullDownRefresh());
  });

  if (!me) {
    return (
      <PageShell id="me-page">
        {meError ? (
          <ErrorState
            message={errorMessage(meError)}
            onRetry={() => void loadMe(true).catch(() => undefined)}
          />
        ) : (
          <ListSkeleton rows={2} />
        )}
      </PageShell>
    );
  }

  const worker = isWorker(me);
  const handler = isHandler(me);
  const unitStaff = isUnitStaff(me);
  const member = isMember(me);
  const onLogout = () => {
    Taro.showModal({
      title: '退出登录？',
      content: '退出后需要重新选择身份登录。',
      confirmText: '退出',
      cancelText: '取消',
    }).then((r) => {
      if (!r.confirm) return;
      logout();
      resetSession();
      redirectToLogin();
    });
  };

  return (
    <PageShell id="me-page">
      <View className="me__profile card">
        {me.user.avatarUrl ? (
          <Image
            className="me__avatar"
            src={me.user.avatarUrl}
            mode="aspectFill"
            lazyLoad
            aria-label="我的头像"
            nativeProps={{ alt: '我的头像' }}
          />
        ) : (
          <View className="me__avatar" aria-label="我的头像" {...roleProps('img')}>
            <Text aria-hidden="true">{me.user.nickName.slice(0, 1) || '我'}</Text>
          </View>
        )}
        <View className="me__info">
          <Text className="me__name" id="me-nickname" {...heading(1)}>
            {me.user.nickName || '微信用户'}
          </Text>
          <View className="me__roles" id="me-roles" aria-label="我的身份">
            {visibleRoles(me).map((g, i) => {
              const scope = scopeName(g, me);
              return (
                <StatusTag
                  key={`${g.role}-${g.communityId ?? g.unitId ?? i}`}
                  id={`role-${g.role}`}
                  label={scope ? `${ROLE_LABEL[g.role]} · ${scope}` : ROLE_LABEL[g.role]}
                  tone={
                    g.role === 'member' || g.role === 'worker' || g.role === 'admin'
                      ? 'red'
                      : g.role === 'volunteer'
                        ? 'green'
                        : 'blue'
                  }
                />
              );
            })}
          </View>
        </View>
      </View>

      <VolunteerCard profile={volunteer} />

      <CellGroup className="me__group">
        <Cell
          id="entry-my-activities"
          title="我的活动"
          description="已报名、候补和参加过的活动"
          extra="›"
          clickable
          onClick={() => Taro.navigateTo({ url: '/pages/activity/mine' })}
        />
        {worker ? (
          <Cell
            id="entry-workbench"
            title="工作台"
            description="今日待办：审核、诉求、报到，以及发布和核销等工具"
            extra="›"
            clickable
            onClick={go('/packages/worker/workbench')}
          />
        ) : null}
        {me.user.roles.some((r) => r.role === 'admin') ? (
          <Cell
            id="entry-admin"
            title="街道管理"
            description="社区、服务阵地和社区工作者"
            extra="›"
            clickable
            onClick={go('/packages/admin/index')}
          />
        ) : null}
        {unitStaff ? (
          <Cell
            id="entry-my-unit"
            title="我的单位"
            description="单位同事、本单位资源和社区的资源申请"
            extra="›"
            clickable
            onClick={() => Taro.navigateTo({ url: '/packages/alliance/my-unit' })}
          />
        ) : (
          <Cell
            id="entry-join-unit"
            title="加入驻区单位"
            description="凭邀请码绑定所在单位"
            extra="›"
            clickable
            onClick={() => Taro.navigateTo({ url: '/packages/alliance/join' })}
          />
        )}
        {member ? (
          <Cell
            id="entry-branch"
            title="我的支部"
            description="支部会议、签到请假、会议记录和组织生活记录"
            extra="›"
            clickable
            onClick={go('/packages/branch/index')}
          />
        ) : null}
        <Cell
          id="entry-branch-area"
          title="党员责任区"
          description="我家楼栋的责任党员，有事可以留言"
          extra="›"
          clickable
          onClick={go('/packages/branch/area')}
        />
        {member ? (
          <Cell
            id="entry-member-report"
            title="在职党员报到"
            description="到居住社区报到，认领服务岗位，查看年度记录"
            extra="›"
            clickable
            onClick={() => Taro.navigateTo({ url: '/packages/alliance/report' })}
          />
        ) : null}
        {handler ? (
          <Cell
            id="entry-handler-queue"
            title="我的承办"
            description="派给我或本单位办理的诉求"
            extra="›"
            clickable
            onClick={() => Taro.navigateTo({ url: '/packages/worker/handling' })}
          />
        ) : null}
        <Cell
          id="entry-notify-settings"
          title="消息设置"
          description="报名时是否询问接收微信通知"
          extra="›"
          clickable
          onClick={() => Taro.navigateTo({ url: '/packages/settings/notify' })}
        />
        <Cell
          id="care-mode-cell"
          className="me__switch-cell"
          title="关怀模式"
          description="更大的文字和按钮、更简洁的首页、更高的对比度"
          extra={
            <Switch
              id="care-mode-switch"
              aria-label="关怀模式"
              {...roleProps('switch', { 'aria-checked': careMode })}
              checked={careMode}
              onChange={(v: boolean) => setCareMode(v)}
            />
          }
        />
      </CellGroup>

      {process.env.TARO_ENV === 'h5' && demo ? (
        <CellGroup className="me__group">
          <Cell
            id="entry-dev-outbox"
            title="开发者：订阅消息记录"
            description="本地收到的订阅消息"
            extra="›"
            clickable
            onClick={() => Taro.navigateTo({ url: '/packages/dev/outbox' })}
          />
        </CellGroup>
      ) : null}

      {process.env.TARO_ENV === 'h5' ? (
        <CellGroup className="me__group">
          <Cell id="logout" title="退出登录" clickable onClick={onLogout} />
        </CellGroup>
      ) : null}
    </PageShell>
  );
}
