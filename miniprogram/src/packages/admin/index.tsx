import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommunitiesView } from '../../../../types/api';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import './shared';

const go = (url: string) => () => Taro.navigateTo({ url });

/** 街道管理: the street's communities (with their service sites) and the way to its workers. */
export default function AdminHome() {
  const [dir, setDir] = useState<CommunitiesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setDir(await call('user', 'communities', {}));
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

  return (
    <PageShell id="admin-page">
      <Text className="page-title" {...heading(1)}>
        街道管理
      </Text>
      <View className="card">
        <View
          id="admin-dashboard"
          className="admin-row"
          aria-label="街道数据看板：各社区对比，去查看"
          {...roleProps('link')}
          {...keyboardActivatable(go('/packages/admin/dashboard'))}
          onClick={go('/packages/admin/dashboard')}
        >
          <View className="admin-row__main">
            <Text className="admin-row__title">街道数据看板</Text>
            <Text className="admin-row__desc">各社区参与、时长、积分和诉求三率对比</Text>
          </View>
          <Text aria-hidden="true">›</Text>
        </View>
        <View
          id="admin-staff"
          className="admin-row"
          aria-label="社区工作者：任命和移除，去管理"
          {...roleProps('link')}
          {...keyboardActivatable(go('/packages/admin/staff'))}
          onClick={go('/packages/admin/staff')}
        >
          <View className="admin-row__main">
            <Text className="admin-row__title">社区工作者</Text>
            <Text className="admin-row__desc">按社区任命或移除工作人员</Text>
          </View>
          <Text aria-hidden="true">›</Text>
        </View>
      </View>

      <View className="card" id="admin-communities">
        <Text className="section-title" {...heading(2)}>
          社区
        </Text>
        {error ? (
          <ErrorState message={error} onRetry={() => void load()} />
        ) : !dir ? (
          <ListSkeleton rows={2} />
        ) : dir.communities.length === 0 ? (
          <EmptyState text="还没有社区，先新建一个" />
        ) : (
          dir.communities.map((c) => {
            const sites = dir.sites.filter((s) => s.communityId === c._id).length;
            const url = `/packages/admin/community?id=${encodeURIComponent(c._id)}`;
            return (
              <View
                key={c._id}
                id={`community-${c._id}`}
                className="admin-row"
                aria-label={`${c.name}，${sites} 个服务阵地，编辑`}
                {...roleProps('link')}
                {...keyboardActivatable(go(url))}
                onClick={go(url)}
              >
                <View className="admin-row__main">
                  <Text className="admin-row__title">{c.name}</Text>
                  <Text className="admin-row__desc">{`${c.address} · 服务阵地 ${sites} 个`}</Text>
                </View>
                <Text aria-hidden="true">›</Text>
              </View>
            );
          })
        )}
        <View className="admin-actions">
          <Button id="admin-new-community" type="primary" onClick={go('/packages/admin/community')}>
            新建社区
          </Button>
        </View>
      </View>
    </PageShell>
  );
}
