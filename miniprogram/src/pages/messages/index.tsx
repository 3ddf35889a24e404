import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { MessageView } from '../../../../types/api';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { requestListFilter } from '../../store/listFilter';
import { refreshUnread, setUnread, TAB_PAGES, useUnread } from '../../store/unread';
import { useTabBarSelected } from '../../custom-tab-bar/state';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { fromNow } from '../../utils/time';
import './index.scss';

/** Opens a message's page (`pages/…?query`): switchTab for tab pages (no query), else navigateTo. */
function openMessagePage(page: string): void {
  const target = page.trim().replace(/^\/+/, '');
  if (!target) return;
  const path = target.split('?')[0];
  if (TAB_PAGES.includes(path)) Taro.switchTab({ url: `/${path}` });
  else Taro.navigateTo({ url: `/${target}` });
}

export default function MessagesPage() {
  const unread = useUnread();
  useTabBarSelected('pages/messages/index');
  // Read here since the list was fetched (the server knows too; a reload brings the same).
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(() => new Set());
  const [marking, setMarking] = useState(false);
  const list = usePagedList<MessageView>(async (cursor) => {
    const page = await call('notify', 'list', { pageSize: 20, ...(cursor ? { cursor } : {}) });
    if (!cursor) setUnread(page.unread);
    return page;
  }, 'messages');

  // Coming back (from a message's page or another tab): show what arrived meanwhile.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  const isUnread = (m: MessageView) => !m.read && !readIds.has(m._id);
  const anyUnread = unread > 0 || list.items.some(isUnread);

  const open = (m: MessageView) => {
    if (isUnread(m)) {
      setReadIds((prev) => new Set(prev).add(m._id));
      setUnread(unread - 1);
      call('notify', 'markRead', { ids: [m._id] })
        .then((r) => setUnread(r.unread))
        .catch(() => {
          setReadIds((prev) => {
            const next = new Set(prev);
            next.delete(m._id);
            return next;
          });
          void refreshUnread();
        });
    }
    openMessagePage(m.page);
  };

  const markAll = async () => {
    if (marking) return;
    setMarking(true);
    try {
      const r = await call('notify', 'markRead', { all: true });
      setReadIds((prev) => {
        const next = new Set(prev);
        list.items.forEach((m) => next.add(m._id));
        return next;
      });
      setUnread(r.unread);
      Taro.showToast({ title: '已全部标为已读', icon: 'none' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setMarking(false);
    }
  };

  const goActivities = () => {
    requestListFilter('all');
    Taro.switchTab({ url: '/pages/activity/list' });
  };

  return (
    <PageShell id="messages-page">
      <View className="messages__head">
        <Text className="page-title" {...heading(1)}>
          消息
        </Text>
        {anyUnread && !list.loading && list.items.length > 0 ? (
          <Button
            id="mark-all-read"
            type="primary"
            fill="outline"
            size="small"
            loading={marking}
            disabled={marking}
            onClick={() => void markAll()}
          >
            全部已读
          </Button>
        ) : null}
      </View>
      <View id="message-list" aria-live="polite">
        {list.loading ? (
          <ListSkeleton />
        ) : list.error ? (
          <ErrorState message={list.error} onRetry={() => void list.reload()} />
        ) : list.items.length === 0 ? (
          <EmptyState
            text="暂无消息"
            hint="报名活动后，提醒和变更通知会显示在这里"
            actionText="去看看活动"
            onAction={goActivities}
          />
        ) : (
          <>
            {list.items.map((m) => {
              const fresh = isUnread(m);
              return (
                <View
                  key={m._id}
                  id={`message-${m._id}`}
                  className={`card message ${fresh ? 'message--unread' : 'message--read'}`}
                  {...roleProps('link')}
                  {...keyboardActivatable(() => open(m))}
                  onClick={() => open(m)}
                >
                  <View className="message__head">
                    {fresh ? (
                      <View
                        id={`message-${m._id}-unread`}
                        className="message__dot"
                        aria-label="未读"
                        {...roleProps('img')}
                      />
                    ) : null}
                    <Text className="message__title" {...heading(2)}>
                      {m.title}
                    </Text>
                    <Text className="message__time">{fromNow(m.createdAt)}</Text>
                  </View>
                  <Text className="message__body">{m.body}</Text>
                </View>
              );
            })}
            <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
          </>
        )}
      </View>
    </PageShell>
  );
}
