import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { StaffMember } from '../../../../types/admin';
import type { UserView } from '../../../../types/api';
import type { Community } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { DataTable } from '../../components/DataTable';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { AdminInput } from './shared';

/** Appoint and remove community workers (街道管理员 only); every change is audited on the server. */
export default function AdminStaff() {
  const [communities, setCommunities] = useState<Community[] | null>(null);
  const [communityId, setCommunityId] = useState('');
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState('');
  const [found, setFound] = useState<UserView[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call('user', 'communities', {})
      .then((d) => {
        setCommunities(d.communities);
        setCommunityId((id) => id || d.communities[0]?._id || '');
      })
      .catch((err) => setError(errorMessage(err)));
  }, []);

  const loadStaff = useCallback(async () => {
    if (!communityId) return;
    setError(null);
    setStaff(null);
    try {
      setStaff((await call('user', 'listStaff', { communityId })).items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [communityId]);
  useEffect(() => {
    void loadStaff();
  }, [loadStaff]);

  const community = communities?.find((c) => c._id === communityId);

  const search = async () => {
    if (!query.trim()) {
      setQueryError('请输入昵称或 openid');
      return;
    }
    setQueryError('');
    setBusy(true);
    try {
      setFound((await call('user', 'findUsers', { query })).items);
    } catch (err) {
      setQueryError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const change = async (openid: string, nickName: string, appoint: boolean) => {
    const r = await Taro.showModal({
      title: appoint ? '任命社区工作者？' : '移除社区工作者？',
      content: appoint
        ? `任命 ${nickName} 为${community?.name ?? ''}的社区工作者，可管理该社区的活动、诉求和志愿服务。`
        : `${nickName} 将不再管理${community?.name ?? ''}。`,
      confirmText: appoint ? '任命' : '移除',
      cancelText: '取消',
    });
    if (!r.confirm) return;
    setBusy(true);
    try {
      await call('user', appoint ? 'appointWorker' : 'removeWorker', { openid, communityId });
      Taro.showToast({ title: appoint ? '已任命' : '已移除', icon: 'none' });
      void loadStaff();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const isStaff = (openid: string) => !!staff?.some((s) => s.openid === openid);

  return (
    <PageShell id="admin-staff-page">
      <Text className="page-title" {...heading(1)}>
        社区工作者
      </Text>
      {communities && communities.length > 0 ? (
        <SegmentTabs
          label="社区"
          idPrefix="staff-community"
          items={communities.map((c) => ({ value: c._id, label: c.name }))}
          value={communityId}
          onChange={setCommunityId}
          scroll
        />
      ) : null}

      <View className="card" id="staff-list" aria-live="polite">
        <Text className="section-title" {...heading(2)}>
          {community ? `${community.name}的工作者` : '工作者'}
        </Text>
        {error ? (
          <ErrorState message={error} onRetry={() => void loadStaff()} />
        ) : !staff ? (
          <ListSkeleton rows={2} />
        ) : staff.length === 0 ? (
          <EmptyState text="这个社区还没有工作者，在下方搜索并任命" />
        ) : (
          <DataTable
            id="staff-table"
            caption={community ? `${community.name}的工作者` : '工作者'}
            rows={staff}
            rowKey={(s) => s.openid}
            columns={[
              { key: 'name', title: '昵称', render: (s) => s.nickName, sortValue: (s) => s.nickName },
              { key: 'openid', title: 'openid', render: (s) => s.openid, sortValue: (s) => s.openid },
              {
                key: 'communities',
                title: '所在社区数',
                render: (s) => s.communityIds.length,
                sortValue: (s) => s.communityIds.length,
              },
              {
                key: 'actions',
                title: '操作',
                render: (s) => (
                  <Button
                    id={`remove-desk-${s.openid}`}
                    type="danger"
                    fill="outline"
                    disabled={busy}
                    aria-label={`移除 ${s.nickName}`}
                    onClick={() => void change(s.openid, s.nickName, false)}
                  >
                    移除
                  </Button>
                ),
              },
            ]}
          >
            {staff.map((s) => (
              <View key={s.openid} id={`staff-${s.openid}`} className="admin-row">
                <View className="admin-row__main">
                  <Text className="admin-row__title">{s.nickName}</Text>
                  <Text className="admin-row__desc">{s.openid}</Text>
                </View>
                <Button
                  id={`remove-${s.openid}`}
                  type="danger"
                  fill="outline"
                  disabled={busy}
                  aria-label={`移除 ${s.nickName}`}
                  onClick={() => void change(s.openid, s.nickName, false)}
                >
                  移除
                </Button>
              </View>
            ))}
          </DataTable>
        )}
      </View>

      <View className="card" id="staff-appoint">
        <Text className="section-title" {...heading(2)}>
          任命工作者
        </Text>
        <Field label="昵称或 openid" id="staff-query" error={queryError}>
          <AdminInput
            id="staff-query"
            label="昵称或 openid"
            value={query}
            max={64}
            placeholder="输入对方的微信昵称或 openid"
            invalid={!!queryError}
            onChange={setQuery}
          />
        </Field>
        <View className="admin-actions">
          <Button
            id="staff-search"
            type="primary"
            fill="outline"
            disabled={busy}
            onClick={() => void search()}
          >
            搜索
          </Button>
        </View>
        {found ? (
          <View id="staff-found" {...roleProps('status')}>
            {found.length === 0 ? <Text className="muted">没有找到这个人，请核对昵称或 openid</Text> : null}
            {found.map((u) => (
              <View key={u.openid} id={`found-${u.openid}`} className="admin-row">
                <View className="admin-row__main">
                  <Text className="admin-row__title">{u.nickName}</Text>
                  <Text className="admin-row__desc">{u.openid}</Text>
                </View>
                {isStaff(u.openid) ? (
                  <Text className="muted">已是本社区工作者</Text>
                ) : (
                  <Button
                    id={`appoint-${u.openid}`}
                    type="primary"
                    disabled={busy || !communityId}
                    aria-label={`任命 ${u.nickName}`}
                    onClick={() => void change(u.openid, u.nickName, true)}
                  >
                    任命
                  </Button>
                )}
              </View>
            ))}
          </View>
        ) : null}
      </View>
    </PageShell>
  );
}
