import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { NoticeView } from '../../../../types/board';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './board.scss';

/** 公告 detail; the community's workers can take it down. */
export default function NoticePage() {
  const { params } = useRouter();
  const noticeId = params.id ?? '';
  const { me } = useSession();
  const [notice, setNotice] = useState<NoticeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      setNotice(await call('board', 'notice', { noticeId }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [noticeId]);
  useEffect(() => {
    void load();
    // Opened directly (a message, a shared link), the session may not be loaded yet: the
    // 撤下公告 button depends on the caller's roles.
    loadMe().catch(() => undefined);
  }, [load]);

  if (error && !notice) {
    return (
      <PageShell id="notice-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  }
  if (!notice) {
    return (
      <PageShell id="notice-page">
        <ListSkeleton rows={1} />
      </PageShell>
    );
  }
  const canRemove = !!me?.user.roles.some(
    (r) => (r.role === 'worker' && r.communityId === notice.communityId) || r.role === 'admin',
  );
  const remove = async () => {
    if (busy || !(await confirm('撤下公告？', `撤下后居民将看不到「${notice.title}」。`, '撤下'))) return;
    setBusy(true);
    try {
      await call('board', 'removeNotice', { noticeId });
      Taro.showToast({ title: '已撤下', icon: 'success' });
      Taro.navigateBack();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="notice-page">
      <View className="card">
        <View className="alliance-card__head">
          <Text className="alliance-card__title" {...heading(1)}>
            {notice.title}
          </Text>
          {notice.pinned ? <StatusTag label="置顶" tone="red" /> : null}
        </View>
        <Text className="line-label">发布于 {formatInstant(notice.publishedAt)}</Text>
        <Text className="board-notice__body" id="notice-body">
          {notice.body}
        </Text>
        {canRemove ? (
          <View className="alliance-card__actions">
            <Button
              id="notice-remove"
              type="danger"
              fill="outline"
              disabled={busy}
              onClick={() => void remove()}
            >
              撤下公告
            </Button>
          </View>
        ) : null}
      </View>
      {confirmDialog}
    </PageShell>
  );
}
