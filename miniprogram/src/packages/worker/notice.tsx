/**
 * 发送通知 (issue 14 item 3): a worker writes a notice to an activity's confirmed participants or
 * its waitlist (activity.notifyParticipants) — audience, title and text with counters and inline
 * messages, a confirmation saying how many people get it — then follows it (noticeStatus, polled:
 * entries written, WeChat messages sent, waiting, without quota). The request id is made once per
 * form, so a double tap or a retry after a lost answer sends nothing twice. Below the form: the
 * activity's earlier notices, each opening its status. Opened from 报名名单 (?id=<activity>).
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActivityDetail } from '../../../../types/api';
import type { NoticeAudience } from '../../../../types/domain';
import type { NoticeView } from '../../../../types/notices';
import { call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { StatusTag } from '../../components/StatusTag';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { formatInstant, fromNow } from '../../utils/time';
import { nextPollDelay } from './export-flow';
import { TextField } from './fields';
import {
  AUDIENCE_LABEL,
  confirmText,
  newRequestId,
  NOTICE_TEXT_MAX,
  NOTICE_TITLE_MAX,
  noticeErrors,
  noticePercent,
  noticeSettled,
  textLength,
  type NoticeErrors,
} from './notice-form';
import '../../styles/grievance.scss';
import './export.scss';
import './notice.scss';

const decode = (v: string | undefined) => (v ? decodeURIComponent(v) : '');

type PastNotice = Omit<NoticeView, 'entries' | 'sent' | 'waiting' | 'noQuota' | 'done'>;

/** Where a sent notice has got: a progress bar over the recipients, then the four counts. */
export function NoticeProgress({ view }: { view: NoticeView }) {
  const pct = noticePercent(view);
  const settled = noticeSettled(view);
  return (
    <View className="card notice-status" id="notice-status">
      <View className="notice-status__head">
        <Text className="export-title" {...heading(2)}>
          {view.title}
        </Text>
        <StatusTag
          id="notice-status-tag"
          label={settled ? '已发送完成' : '发送中'}
          tone={settled ? 'green' : 'orange'}
        />
      </View>
      <Text className="muted">{`发给${AUDIENCE_LABEL[view.audience]}的 ${view.recipients} 人 · ${formatInstant(view.createdAt)}`}</Text>
      <View
        className="progress"
        id="notice-progress"
        aria-label="通知发送进度"
        {...roleProps('progressbar', {
          'aria-valuemin': 0,
          'aria-valuemax': view.recipients,
          'aria-valuenow': Math.min(view.entries, view.recipients),
        })}
      >
        <View className="progress__bar" style={{ width: `${pct}%` }} />
      </View>
      <View className="notice-counts" id="notice-counts" aria-live="polite">
        <View className="notice-count" id="notice-count-entries">
          <Text className="notice-count__num">{`${view.entries}/${view.recipients}`}</Text>
          <Text className="notice-count__label">已写入消息中心</Text>
        </View>
        <View className="notice-count" id="notice-count-sent">
          <Text className="notice-count__num">{view.sent}</Text>
          <Text className="notice-count__label">微信通知已发送</Text>
        </View>
        <View className="notice-count" id="notice-count-waiting">
          <Text className="notice-count__num">{view.waiting}</Text>
          <Text className="notice-count__label">等待发送微信通知</Text>
        </View>
        <View className="notice-count" id="notice-count-noquota">
          <Text className="notice-count__num">{view.noQuota}</Text>
          <Text className="notice-count__label">未订阅（仅消息中心）</Text>
        </View>
      </View>
      <Text className="notice-status__text">{view.text}</Text>
      <Text className="form-hint">
        {settled
          ? '全部送达消息中心；没有开通订阅消息的居民只在消息中心看到这条通知。'
          : '正在后台逐个发送，可以离开本页，稍后回来查看。'}
      </Text>
    </View>
  );
}

/** Polls noticeStatus until every entry is written and no WeChat message is waiting. */
function useNoticeStatus(noticeId: string | null, first: NoticeView | null) {
  const [view, setView] = useState<NoticeView | null>(first);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const poll = useCallback((id: string, polls: number, failures: number, delay: number) => {
    timer.current = setTimeout(() => {
      timer.current = null;
      call('activity', 'noticeStatus', { noticeId: id })
        .then((v) => {
          if (!alive.current) return;
          setView(v);
          setError(null);
          if (!noticeSettled(v)) poll(id, polls + 1, 0, nextPollDelay(polls + 1, 0));
        })
        .catch((err) => {
          if (!alive.current) return;
          // Shown only while nothing has arrived; a dropped poll is retried, more slowly.
          setError(errorMessage(err));
          poll(id, polls + 1, Math.min(failures + 1, 4), nextPollDelay(polls + 1, Math.min(failures + 1, 4)));
        });
    }, delay);
  }, []);
  useEffect(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setView(first);
    setError(null);
    if (!noticeId) return;
    if (first && noticeSettled(first)) return;
    // With the send's answer on screen, the first poll waits; opened from the list, it asks at once.
    poll(noticeId, 0, 0, first ? nextPollDelay(0, 0) : 0);
  }, [noticeId, first, poll]);
  return { view, error };
}

export default function NoticePage() {
  const router = useRouter();
  const activityId = decode(router.params.id);
  const [activity, setActivity] = useState<ActivityDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const loadActivity = useCallback(async () => {
    if (!activityId) return;
    setLoadError(null);
    try {
      const a = await call('activity', 'detail', { activityId });
      setActivity(a);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [activityId]);
  useEffect(() => {
    void loadActivity();
  }, [loadActivity]);

  const [audience, setAudience] = useState<NoticeAudience>('confirmed');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<NoticeErrors>({});
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  // One id per form: a double tap, or 重试 after a lost answer, is the same send to the server.
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  const { confirm, confirmDialog } = useConfirm();

  // What is on screen: the form, or one notice's status (just sent, or opened from the list).
  const [shown, setShown] = useState<{ noticeId: string; first: NoticeView | null } | null>(
    router.params.noticeId ? { noticeId: decode(router.params.noticeId), first: null } : null,
  );
  const status = useNoticeStatus(shown?.noticeId ?? null, shown?.first ?? null);
  const [repeated, setRepeated] = useState(false);

  const history = usePagedList<PastNotice>(
    (cursor) => call('activity', 'notices', { activityId, pageSize: 10, ...(cursor ? { cursor } : {}) }),
    activityId,
    !!activityId,
  );

  const recipientsOf = (a: NoticeAudience) =>
    activity ? (a === 'confirmed' ? activity.confirmedCount : activity.waitlistCount) : null;
  const recipients = recipientsOf(audience);
  const draft = { audience, title, text };
  const recheck = (next: Partial<typeof draft>) => {
    if (tried) setErrors(noticeErrors({ ...draft, ...next }, recipientsOf(next.audience ?? audience)));
  };

  const send = async () => {
    if (inFlight.current) return;
    setTried(true);
    const found = noticeErrors(draft, recipients);
    setErrors(found);
    if (Object.keys(found).length > 0 || recipients === null) return;
    inFlight.current = true;
    try {
      const ok = await confirm('发送通知', confirmText(audience, recipients), '确认发送');
      if (!ok) return;
      setSending(true);
      setSendError(null);
      const view = await call('activity', 'notifyParticipants', {
        activityId,
        audience,
        title: title.trim(),
        text: text.trim(),
        requestId: requestId.current,
      });
      setRepeated(!!view.repeated);
      setShown({ noticeId: view._id, first: view });
      void history.reload();
      Taro.showToast({ title: view.repeated ? '这条通知已发送过' : '通知已发出', icon: 'none' });
    } catch (err) {
      // The same request id is kept: 重试 cannot send it twice, even if the first try got through.
      setSendError(errorMessage(err));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  const newNotice = () => {
    requestId.current = newRequestId();
    setTitle('');
    setText('');
    setErrors({});
    setTried(false);
    setSendError(null);
    setRepeated(false);
    setShown(null);
  };

  let body;
  if (!activityId)
    body = <ErrorState message="没有找到这个活动，请返回重试" onRetry={() => Taro.navigateBack()} />;
  else if (shown) {
    body = (
      <View id="notice-status-view">
        {repeated ? (
          <Text className="notice-note" id="notice-repeated" {...roleProps('status')}>
            这条通知刚才已经发出，没有重复发送。
          </Text>
        ) : null}
        {status.view ? (
          <NoticeProgress view={status.view} />
        ) : status.error ? (
          <ErrorState
            id="notice-status-error"
            message={status.error}
            onRetry={() => setShown({ ...shown })}
          />
        ) : (
          <ListSkeleton rows={1} />
        )}
        <Button
          id="notice-new"
          className="block-btn notice-btn"
          type="primary"
          fill="outline"
          block
          onClick={newNotice}
        >
          再写一条通知
        </Button>
      </View>
    );
  } else if (loadError) body = <ErrorState message={loadError} onRetry={() => void loadActivity()} />;
  else if (!activity) body = <ListSkeleton rows={2} />;
  else {
    const titleLen = textLength(title);
    const textLen = textLength(text);
    body = (
      <View id="notice-form" className="notice-form">
        <Text className="muted notice-activity" id="notice-activity">{`活动：${activity.title}`}</Text>
        <Field id="notice-audience" label="发给谁" error={errors.audience}>
          <Choices
            idPrefix="notice-audience"
            label="发给谁"
            items={(['confirmed', 'waitlisted'] as const).map((a) => ({
              value: a,
              label: `${AUDIENCE_LABEL[a]}（${recipientsOf(a) ?? 0} 人）`,
            }))}
            value={audience}
            disabled={sending}
            onChange={(a) => {
              setAudience(a);
              recheck({ audience: a });
            }}
          />
        </Field>
        <Field id="notice-title" label="通知标题" error={errors.title}>
          <TextField
            id="notice-title-input"
            label="通知标题"
            value={title}
            max={NOTICE_TITLE_MAX}
            placeholder="如：集合地点调整"
            invalid={!!errors.title}
            onChange={(v) => {
              setTitle(v);
              recheck({ title: v });
            }}
          />
          <Text
            className={`text-counter ${titleLen > NOTICE_TITLE_MAX ? 'text-counter--over' : ''}`}
            id="notice-title-counter"
          >
            {`${titleLen}/${NOTICE_TITLE_MAX}`}
          </Text>
        </Field>
        <Field id="notice-text" label="通知内容" error={errors.text}>
          <TextArea
            id="notice-text-input"
            label="通知内容"
            value={text}
            max={NOTICE_TEXT_MAX}
            placeholder="如：请于 13:50 到党群服务中心东门集合，带好手套。"
            invalid={!!errors.text}
            onChange={(v) => {
              setText(v);
              recheck({ text: v });
            }}
          />
          <Text
            className={`text-counter ${textLen > NOTICE_TEXT_MAX ? 'text-counter--over' : ''}`}
            id="notice-text-counter"
          >
            {`${textLen}/${NOTICE_TEXT_MAX}`}
          </Text>
        </Field>
        <Text className="form-hint notice-hint">
          每人收到一条消息中心通知；开通了订阅消息的居民同时收到微信通知。
        </Text>
        {sendError ? (
          <Text className="form-error" id="notice-send-error" {...roleProps('alert')}>
            {`${sendError}。点“发送通知”重试，不会重复发送。`}
          </Text>
        ) : null}
        <Button
          id="notice-send"
          className="block-btn notice-btn"
          type="primary"
          block
          loading={sending}
          disabled={sending}
          onClick={() => void send()}
        >
          发送通知
        </Button>
      </View>
    );
  }

  return (
    <PageShell id="notice-page">
      <Text className="page-title" {...heading(1)}>
        发送通知
      </Text>
      <View id="notice-body">{body}</View>
      {activityId ? (
        <View id="notice-history" className="notice-history">
          <Text className="section-title" {...heading(2)}>
            已发通知
          </Text>
          {history.loading ? (
            <ListSkeleton rows={1} />
          ) : history.error ? (
            <ErrorState
              id="notice-history-error"
              message={history.error}
              onRetry={() => void history.reload()}
            />
          ) : history.items.length === 0 ? (
            <EmptyState id="notice-history-empty" text="这个活动还没有发过通知" />
          ) : (
            <View className="card notice-list">
              {history.items.map((n) => {
                const open = () => {
                  setRepeated(false);
                  setShown({ noticeId: n._id, first: null });
                  try {
                    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 })?.catch(() => undefined);
                  } catch {
                    // no scrolling where the platform has none
                  }
                };
                return (
                  <View
                    key={n._id}
                    id={`notice-item-${n._id}`}
                    className={`notice-item ${shown?.noticeId === n._id ? 'notice-item--current' : ''}`}
                    aria-label={`查看通知「${n.title}」的发送情况`}
                    {...roleProps('button')}
                    {...keyboardActivatable(open)}
                    onClick={open}
                  >
                    <View className="notice-item__main">
                      <Text className="notice-item__title">{n.title}</Text>
                      <Text className="muted">{`${fromNow(n.createdAt)} · ${n.recipients} 人`}</Text>
                    </View>
                    <StatusTag
                      label={AUDIENCE_LABEL[n.audience]}
                      tone={n.audience === 'confirmed' ? 'green' : 'orange'}
                    />
                  </View>
                );
              })}
            </View>
          )}
          <ListFooter
            loadingMore={history.loadingMore}
            hasMore={history.hasMore}
            count={history.items.length}
          />
        </View>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
