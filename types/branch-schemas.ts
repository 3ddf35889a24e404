/** Input schemas of the `branch` function (see ./branch for the contract). */
import { z } from 'zod';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const openid = z.string().trim().min(1, '缺少成员').max(64, '成员编号过长');
const year = z.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
const kind = z.enum(['general', 'committee', 'group', 'lecture', 'themeDay'], {
  message: '请选择会议类型',
});
const building = z.string().trim().min(1, '请填写楼栋').max(20, '楼栋名称最多 20 个字');

export const branchSchemas = {
  createBranch: z
    .object({
      communityId: id,
      name: z.string().trim().min(2, '支部名称至少 2 个字').max(40, '支部名称最多 40 个字'),
      unitId: id.optional(),
      secretary: openid,
    })
    .strict(),
  appoint: z
    .object({
      branchId: id,
      secretary: openid.optional(),
      committee: z.array(openid).max(9, '支部委员最多 9 人').optional(),
    })
    .strict(),
  listBranches: z.object({ communityId: id }).strict(),
  myBranch: z.object({}).strict(),
  members: z.object({ branchId: id }).strict(),
  addMember: z
    .object({
      branchId: id,
      openid,
      group: z.string().trim().max(20, '党小组名称最多 20 个字').optional(),
      inService: z.boolean().optional(),
    })
    .strict(),
  removeMember: z.object({ branchId: id, openid }).strict(),
  /** 党员名录 search: a name (prefix) or the last 4 digits of the phone; for a branch or a community. */
  searchMembers: z
    .object({
      communityId: id.optional(),
      branchId: id.optional(),
      q: z
        .string()
        .trim()
        .min(1, '请输入姓名或手机号后 4 位')
        .max(20, '最多 20 个字')
        .refine((v) => !/^\d+$/.test(v) || /^\d{4}$/.test(v), '按手机号查找请输入后 4 位数字'),
      page: z.number().int().min(0).max(50).default(0),
    })
    .strict()
    .refine((v) => !!v.communityId || !!v.branchId, { message: '缺少社区或支部', path: ['communityId'] }),
  setArea: z
    .object({
      branchId: id,
      openid,
      buildings: z.array(building).max(20, '责任区最多 20 个楼栋'),
      contact: z
        .string()
        .trim()
        .regex(/^1\d{10}$/, '请填写 11 位手机号')
        .optional(),
    })
    .strict(),
  /** Rebuild the community's 党员名录 entries from the member roles (workers; maintenance). */
  refreshDirectory: z.object({ communityId: id }).strict(),
  areas: z.object({ communityId: id }).strict(),
  areaMember: z.object({ communityId: id, building }).strict(),
  messageAreaMember: z
    .object({
      communityId: id,
      building,
      text: z.string().trim().min(2, '请写下想说的话（至少 2 个字）').max(200, '最多 200 个字'),
    })
    .strict(),
  createMeeting: z
    .object({
      branchId: id,
      kind,
      title: z.string().trim().min(2, '会议主题至少 2 个字').max(40, '会议主题最多 40 个字'),
      place: z.string().trim().min(2, '请填写地点').max(40, '地点最多 40 个字'),
      startAt: z.number().int().positive('请选择开始时间'),
      endAt: z.number().int().positive('请选择结束时间'),
      agenda: z
        .array(z.string().trim().min(1, '议程不能为空').max(60, '每项议程最多 60 个字'))
        .max(12)
        .optional(),
      audience: z.enum(['all', 'committee', 'group']).optional(),
      group: z.string().trim().max(20).optional(),
    })
    .strict()
    .refine((v) => v.endAt > v.startAt, { message: '结束时间须晚于开始时间', path: ['endAt'] })
    .refine((v) => v.audience !== 'group' || !!v.group, { message: '请选择党小组', path: ['group'] }),
  meetings: z.object({ branchId: id }).strict(),
  meeting: z.object({ meetingId: id }).strict(),
  checkInCode: z.object({ meetingId: id }).strict(),
  checkIn: z.object({ meetingId: id, code: z.string().trim().min(6, '请输入 6 位签到码').max(80) }).strict(),
  markAttendance: z.object({ meetingId: id, openid, present: z.boolean() }).strict(),
  requestLeave: z
    .object({
      meetingId: id,
      reason: z.string().trim().min(2, '请填写请假理由（至少 2 个字）').max(100, '理由最多 100 个字'),
    })
    .strict(),
  decideLeave: z
    .object({
      meetingId: id,
      openid,
      approve: z.boolean(),
      note: z.string().trim().max(100).optional(),
    })
    .strict(),
  writeMinutes: z
    .object({
      meetingId: id,
      text: z.string().trim().min(5, '会议记录至少 5 个字').max(5000, '会议记录最多 5000 个字'),
      resolutions: z.array(z.string().trim().min(1).max(200)).max(20, '决议最多 20 条').optional(),
      photos: z.array(z.string().trim().min(1).max(300)).max(9, '最多 9 张照片').optional(),
    })
    .strict(),
  closeMeeting: z.object({ meetingId: id }).strict(),
  compliance: z.object({ communityId: id }).strict(),
  branchCompliance: z.object({ branchId: id }).strict(),
  memberRecord: z.object({ openid: openid.optional(), year: year.optional() }).strict(),
  setPointsRule: z
    .object({
      branchId: id,
      perAttendance: z.number().min(0).max(100),
      perServiceHour: z.number().min(0).max(100),
      perRequest: z.number().min(0).max(100),
    })
    .strict(),
};

export type BranchSchemas = typeof branchSchemas;
