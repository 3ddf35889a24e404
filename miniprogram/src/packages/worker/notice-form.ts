/**
 * 发送通知 (activity.notifyParticipants), the rules the page checks before it asks the server:
 * title and text lengths as in types/notices (trimmed), someone to send to, and the client request
 * id that makes a retried send arrive once. Kept apart from the page so tests can read them.
 */
import type { NoticeAudience } from '../../../../types/domain';
import type { NoticeView } from '../../../../types/notices';

/** Limits of types/notices (NOTICE_TITLE_MAX / NOTICE_TEXT_MAX; the app compiles src/ only). */
export const NOTICE_TITLE_MAX = 20;
export const NOTICE_TEXT_MAX = 300;
export const NOTICE_MIN = 2;

export const AUDIENCE_LABEL: Record<NoticeAudience, string> = {
  confirmed: '已报名',
  waitlisted: '候补',
};

export interface NoticeDraft {
  audience: NoticeAudience;
  title: string;
  text: string;
}

export type NoticeErrors = Partial<Record<'audience' | 'title' | 'text', string>>;

/** Length as the server counts it (trimmed, zod's string length). */
export const textLength = (s: string) => s.trim().length;

/** Inline messages for a draft; `recipients` = people in the chosen audience. Empty when it may be sent. */
export function noticeErrors(d: NoticeDraft, recipients: number | null): NoticeErrors {
  const e: NoticeErrors = {};
  const t = textLength(d.title);
  if (t < NOTICE_MIN) e.title = `请填写通知标题（至少 ${NOTICE_MIN} 个字）`;
  else if (t > NOTICE_TITLE_MAX) e.title = `通知标题最多 ${NOTICE_TITLE_MAX} 个字，请精简`;
  const x = textLength(d.text);
  if (x < NOTICE_MIN) e.text = `请填写通知内容（至少 ${NOTICE_MIN} 个字）`;
  else if (x > NOTICE_TEXT_MAX) e.text = `通知内容最多 ${NOTICE_TEXT_MAX} 个字，请精简`;
  if (recipients === 0)
    e.audience = d.audience === 'confirmed' ? '还没有人报名成功，无人可通知' : '候补名单为空，无人可通知';
  return e;
}

/** A fresh client request id (≥ 8 characters): one per form, reused by every retry of its send. */
export function newRequestId(nowMs: number = Date.now()): string {
  const rand = Math.floor(Math.random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
  return `n${nowMs.toString(36)}${rand}`;
}

/** The confirmation before sending: who and how many get it, and that it cannot be taken back. */
export function confirmText(audience: NoticeAudience, recipients: number): string {
  return `将发给「${AUDIENCE_LABEL[audience]}」的 ${recipients} 人：每人一条消息中心通知，开通了订阅消息的同时收到微信通知。发出后不能撤回。`;
}

/** Polling continues while entries are still being written or WeChat messages wait for their try. */
export const noticeSettled = (v: Pick<NoticeView, 'done' | 'waiting'>) => v.done && v.waiting === 0;

/** Share of the recipients whose message-centre entry is written (0–100). */
export function noticePercent(v: Pick<NoticeView, 'entries' | 'recipients'>): number {
  if (v.recipients <= 0) return 100;
  return Math.min(100, Math.round((v.entries / v.recipients) * 100));
}
