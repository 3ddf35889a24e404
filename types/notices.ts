/**
 * Notices to participants and no-shows (activity function, issue 14 item 3): input schemas, the
 * views responses carry, and the part of the activity contract they add. A listing's session is an
 * ordinary activity, so both work for sessions too.
 */
import { z } from 'zod';
import type { Action, In, Page } from './api';
import type { NoticeAudience } from './domain';
import { cursor } from './paging';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  cursor: cursor.optional(),
};

export const NOTICE_TITLE_MAX = 20;
export const NOTICE_TEXT_MAX = 300;

export const noticeSchemas = {
  notifyParticipants: z
    .object({
      activityId: id,
      audience: z.enum(['confirmed', 'waitlisted'], { message: '请选择发给谁' }).default('confirmed'),
      title: z
        .string()
        .trim()
        .min(2, '通知标题至少 2 个字')
        .max(NOTICE_TITLE_MAX, `通知标题最多 ${NOTICE_TITLE_MAX} 个字`),
      text: z
        .string()
        .trim()
        .min(2, '通知内容至少 2 个字')
        .max(NOTICE_TEXT_MAX, `通知内容最多 ${NOTICE_TEXT_MAX} 个字`),
      /** The client's id for this send: a retried call with the same id does not send again. */
      requestId: z.string().trim().min(8, '请求编号无效').max(64, '请求编号无效'),
    })
    .strict(),
  noticeStatus: z.object({ noticeId: id }).strict(),
  notices: z.object({ activityId: id, ...page }).strict(),
  noShows: z.object({ activityId: id, ...page }).strict(),
  noShowCounts: z
    .object({
      communityId: id.optional(),
      year: z.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
      ...page,
    })
    .strict(),
};
export type NoticeSchemas = typeof noticeSchemas;

/** A notice and how far it has got. Counts are read from the entries themselves (by index). */
export interface NoticeView {
  _id: string;
  activityId: string;
  audience: NoticeAudience;
  title: string;
  text: string;
  createdAt: number;
  /** People the audience had when the notice was sent. */
  recipients: number;
  /** Message-centre entries written so far (one per person reached). */
  entries: number;
  /** WeChat subscription messages sent so far. */
  sent: number;
  /** Entries still waiting for their WeChat try. */
  waiting: number;
  /** Entries without WeChat quota (message centre only). */
  noQuota: number;
  /** Every entry written (the fan-out job is done). */
  done: boolean;
  /** True when this call found an earlier send with the same request id (nothing sent again). */
  repeated?: boolean;
}

export interface NoShowItem {
  openid: string;
  nickName: string;
  signedUpAt: number;
  /** This person's no-shows in the activity's community and year (tallied activities). */
  yearCount: number;
}

export interface NoShowList extends Page<NoShowItem> {
  /** Asia/Shanghai year of the activity's start. */
  year: number;
  /** Whether this activity is already in the yearly counts. */
  tallied: boolean;
}

export interface NoShowCountView {
  openid: string;
  nickName: string;
  count: number;
}

export interface NoticeContract {
  /** A worker's notice to the confirmed participants (or the waitlist): one entry each + WeChat. */
  notifyParticipants: Action<
    In<NoticeSchemas['notifyParticipants']>,
    NoticeView,
    'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
  >;
  noticeStatus: Action<In<NoticeSchemas['noticeStatus']>, NoticeView, 'FORBIDDEN' | 'NOT_FOUND'>;
  /** An activity's notices, newest first (without counts). */
  notices: Action<
    In<NoticeSchemas['notices']>,
    Page<Omit<NoticeView, 'entries' | 'sent' | 'waiting' | 'noQuota' | 'done'>>,
    'FORBIDDEN' | 'NOT_FOUND'
  >;
  noShows: Action<In<NoticeSchemas['noShows']>, NoShowList, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  noShowCounts: Action<In<NoticeSchemas['noShowCounts']>, Page<NoShowCountView>, 'FORBIDDEN'>;
}
