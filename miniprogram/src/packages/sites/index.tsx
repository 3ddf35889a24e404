import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { SiteView } from '../../../../types/sites';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { currentCommunity, isUnitStaff, isWorker, loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './sites.scss';

/** 服务阵地: the community's bookable rooms and the venues its units opened. */
export default function SitesPage() {
  const { me } = useSession();
  const [sites, setSites] = useState<SiteView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const m = await loadMe();
      const community = currentCommunity(m);
      if (!community) {
        setSites([]);
        return;
      }
      setSites(await call('sites', 'list', { communityId: community._id }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const open = (s: SiteView) =>
    Taro.navigateTo({ url: `/packages/sites/detail?id=${encodeURIComponent(s._id)}` });
  const manager = isWorker(me) || isUnitStaff(me);

  return (
    <PageShell id="sites-page">
      <View className="sites-top">
        <Button
          id="sites-mine"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/packages/sites/mine' })}
        >
          我的预约
        </Button>
        {manager ? (
          <Button
            id="sites-manage"
            fill="outline"
            onClick={() => Taro.navigateTo({ url: '/packages/sites/manage' })}
          >
            预约管理
          </Button>
        ) : null}
      </View>
      {error && !sites ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !sites ? (
        <ListSkeleton rows={2} />
      ) : sites.length === 0 ? (
        <EmptyState id="sites-empty" text="本社区暂无可预约的阵地" hint="社区开放预约后会在这里显示" />
      ) : (
        <View id="sites-list">
          {sites.map((s) => (
            <View
              key={s._id}
              id={`site-${s._id}`}
              className="card sites-card"
              {...roleProps('link')}
              aria-label={`${s.name}，查看开放时间并预约`}
              {...keyboardActivatable(() => open(s))}
              onClick={() => open(s)}
            >
              <View className="alliance-card__head">
                <Text className="alliance-card__title" {...heading(2)}>
                  {s.name}
                </Text>
                {s.status === 'open' ? (
                  <StatusTag
                    label={s.approval ? '需审核' : '可预约'}
                    tone={s.approval ? 'orange' : 'green'}
                  />
                ) : (
                  <StatusTag label="已关闭" tone="grey" />
                )}
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">地址</Text>
                <Text>{s.address}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">容纳</Text>
                <Text>
                  {s.capacity} 人{s.kind === 'unitVenue' && s.unitName ? ` · ${s.unitName}开放` : ''}
                </Text>
              </View>
              {s.facilities.length ? (
                <View className="alliance-card__line">
                  <Text className="line-label">设施</Text>
                  <Text>{s.facilities.join('、')}</Text>
                </View>
              ) : null}
            </View>
          ))}
        </View>
      )}
    </PageShell>
  );
}
