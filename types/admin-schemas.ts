/**
 * Input schemas of the `user` function's workbench and street-admin actions (see ./admin for the
 * contract). Strict objects, Chinese messages.
 */
import { z } from 'zod';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');

const siteFields = {
  communityId: id,
  name: z.string().trim().min(2, '阵地名称至少 2 个字').max(30, '阵地名称最多 30 个字'),
  address: z.string().trim().min(2, '请填写地址').max(100, '地址最多 100 个字'),
  lat: z.number({ message: '请填写纬度' }).min(-90, '纬度不正确').max(90, '纬度不正确'),
  lng: z.number({ message: '请填写经度' }).min(-180, '经度不正确').max(180, '经度不正确'),
  openingHours: z.string().trim().max(50, '开放时间最多 50 个字').default(''),
  facilities: z
    .array(z.string().trim().min(1).max(20, '设施名称最多 20 个字'))
    .max(20, '最多 20 项设施')
    .default([]),
  contact: z.string().trim().max(50, '联系方式最多 50 个字').default(''),
};

export const adminSchemas = {
  /** The worker's to-dos: counts for one community (default: the worker's own). */
  workbench: z.object({ communityId: id.optional() }).strict(),
  /** Applications waiting for review on one activity (its managers only). */
  pendingSignUps: z.object({ activityId: id }).strict(),
  /** Street admin: create (no communityId) or edit a community's name and address. */
  saveCommunity: z
    .object({
      communityId: id.optional(),
      name: z.string().trim().min(2, '社区名称至少 2 个字').max(30, '社区名称最多 30 个字'),
      address: z.string().trim().min(2, '请填写社区地址').max(100, '地址最多 100 个字'),
    })
    .strict(),
  /** Street admin: add (no siteId) or edit a service site (服务阵地) of a community. */
  saveSite: z.object({ siteId: id.optional(), ...siteFields }).strict(),
  /** Street admin: the community workers (optionally of one community). */
  listStaff: z.object({ communityId: id.optional() }).strict(),
  /** Street admin: find a person to appoint, by openid or nickname. */
  findUsers: z
    .object({ query: z.string().trim().min(1, '请输入昵称或 openid').max(64, '最多 64 个字符') })
    .strict(),
  /** Street admin: appoint a worker for a community / remove them from it. */
  appointWorker: z.object({ openid: id, communityId: id }).strict(),
  removeWorker: z.object({ openid: id, communityId: id }).strict(),
};

export type AdminSchemas = typeof adminSchemas;
