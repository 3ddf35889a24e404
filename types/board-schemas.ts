/** Input schemas of the `board` function (see ./board for the contract). */
import { z } from 'zod';
import { cursor } from './paging';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');

export const boardSchemas = {
  view: z
    .object({
      communityId: id,
      month: z
        .string()
        .regex(/^20\d\d-(0[1-9]|1[0-2])$/, '月份格式应为 2026-12')
        .optional(),
    })
    .strict(),
  notices: z
    .object({
      communityId: id,
      pageSize: z.number().int().min(1).max(50).default(20),
      cursor: cursor.optional(),
    })
    .strict(),
  notice: z.object({ noticeId: id }).strict(),
  publishNotice: z
    .object({
      communityId: id,
      title: z.string().trim().min(2, '标题至少 2 个字').max(40, '标题最多 40 个字'),
      body: z.string().trim().min(2, '正文至少 2 个字').max(2000, '正文最多 2000 个字'),
      pinned: z.boolean().default(false),
    })
    .strict(),
  removeNotice: z.object({ noticeId: id }).strict(),
};

export type BoardSchemas = typeof boardSchemas;
