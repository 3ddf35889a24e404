/**
 * The one way an activity comes into being: `activity.publish`, and an alliance unit's proposal
 * a worker approves, both go through these rules (who may publish where, the community and host
 * units exist, the timing makes sense).
 */
import type { z } from 'zod';
import type { Activity, Community, Unit } from '../../types/domain';
import type { activitySchemas } from '../../types/schemas';
import { byIds, collection, getById, type TxDocs } from '../core/db';
import { invalid, notFound } from '../core/errors';
import { assertManagesCommunity, type Caller } from '../core/guard';
import * as rules from '../domain/activity';

export type PublishInput = z.output<typeof activitySchemas.publish>;

export async function loadUnits(ids: string[]): Promise<Unit[]> {
  const units = await byIds<Unit>('units', ids);
  if (ids.some((id) => !units.has(id))) throw notFound('共建单位不存在');
  return ids.map((id) => units.get(id) as Unit);
}

export function assertTiming(
  t: Parameters<typeof rules.validateTiming>[0],
  now: number,
  isNew: boolean,
): void {
  const errors = rules.validateTiming(t, now, { isNew });
  const first = Object.values(errors)[0];
  if (first) throw invalid(first, errors);
}

/**
 * Check a new activity against the rules and build its document (not yet stored). Reads only,
 * so a caller may run it before its own transaction and store the document inside it.
 */
export async function prepareActivity(
  { caller, now }: { caller: Caller; now: number },
  data: PublishInput,
): Promise<Omit<Activity, '_id'>> {
  assertManagesCommunity(caller, data.communityId);
  if (!(await getById<Community>('communities', data.communityId))) throw notFound('社区不存在');
  await loadUnits(data.hostUnitIds);
  assertTiming(data, now, true);
  return {
    ...data,
    status: 'published',
    confirmedCount: 0,
    waitlist: [],
    createdBy: caller.openid,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Publish an activity: check it, then store it — in the caller's transaction under `id` when
 * given (so it commits with the caller's own change), else as a new document.
 */
export async function publishActivity(
  ctx: { caller: Caller; now: number },
  data: PublishInput,
  inTx?: { t: TxDocs; id: string },
): Promise<Activity> {
  const doc = await prepareActivity(ctx, data);
  return storeActivity(doc, inTx);
}

export async function storeActivity(
  doc: Omit<Activity, '_id'>,
  inTx?: { t: TxDocs; id: string },
): Promise<Activity> {
  if (inTx) {
    await inTx.t.set('activities', inTx.id, doc as unknown as Record<string, unknown>);
    return { ...doc, _id: inTx.id };
  }
  const { id } = (await collection('activities').add(doc)) as { id: string };
  return { ...doc, _id: id };
}
