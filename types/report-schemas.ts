/** Input schemas of the `report` function (see ./report for the contract). */
import { z } from 'zod';
import { dashboardSchemas } from './report-dashboard';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');

/** A year 'YYYY', a month 'YYYY-MM' or a quarter 'YYYY-Qn'. */
export const PERIOD = /^(20\d\d)(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export const reportSchemas = {
  startExport: z
    .object({
      kind: z.enum(['participants', 'hours', 'roster', 'grievances', 'units', 'members'], {
        message: '请选择导出内容',
      }),
      communityId: id,
      period: z.string().trim().regex(PERIOD, '期间格式应为 2026、2026-11 或 2026-Q4').optional(),
      activityId: id.optional(),
      fullIdentity: z.boolean().optional(),
      purpose: z.string().trim().max(100, '用途最多 100 个字').optional(),
    })
    .strict()
    .refine((v) => v.kind !== 'participants' || !!v.activityId, {
      message: '请选择活动',
      path: ['activityId'],
    })
    .refine((v) => !v.fullIdentity || v.kind === 'roster', {
      message: '只有志愿者名册可以导出完整身份信息',
      path: ['fullIdentity'],
    })
    .refine((v) => !v.fullIdentity || (v.purpose?.length ?? 0) >= 2, {
      message: '导出完整身份信息须填写用途（至少 2 个字）',
      path: ['purpose'],
    })
    .refine((v) => v.kind !== 'hours' || !v.period || !v.period.includes('Q'), {
      message: '时长统计按月或按年导出',
      path: ['period'],
    }),
  exportStatus: z.object({ exportId: id }).strict(),
  ...dashboardSchemas,
};

export type ReportSchemas = typeof reportSchemas;
