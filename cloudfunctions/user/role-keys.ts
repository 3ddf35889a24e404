/**
 * Migration: `roleKeys` (domain/roles.ts) on users stored before the field existed.
 *
 * Every write of `roles` writes `roleKeys` with it (`rolesPatch`); a database from before that has
 * users without it, whom the `users.role_keys` lookups (staff to notify, handlers, managers) would
 * not find. The timer step `roleKeysBackfill` enqueues one job (fixed id, so once per database);
 * the timer's job runner then pages through `users` by `_id` (100 per batch, cursor = last id,
 * resumable after a crash or a timeout) and rewrites the keys of each user whose keys are missing or
 * out of step with their roles, in a small transaction from the user as it is then (a role change
 * meanwhile conflicts with it, and the retry reads the new roles). Running it again is harmless.
 */
import type { User } from '../../types/domain';
import { cmd, collection, getById, transaction } from '../core/db';
import { defineJob, enqueue, jobDoc, mapLimit } from '../core/jobs';
import { runtime } from '../core/runtime';
import { roleKeysOf, roleKeysStale } from '../domain/roles';

/** The backfill's job id: one per database; bump the suffix to run it again after a format change. */
export const ROLE_KEYS_JOB_ID = 'migrate-role-keys-v1';

export const ROLE_KEYS_JOB = defineJob<Record<string, never>>({
  kind: 'roleKeysBackfill',
  async batch(_payload, cursor, ctx) {
    const { data } = await collection('users')
      .where(cursor === null ? {} : { _id: cmd().gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(ctx.limit)
      .get();
    const page = data as User[];
    const written = await mapLimit(page.filter(roleKeysStale), 8, (u) =>
      transaction(async (t) => {
        const cur = await t.get<User>('users', u._id);
        if (!cur || !roleKeysStale(cur)) return 0;
        await t.update('users', u._id, { roleKeys: roleKeysOf(cur.roles) });
        return 1;
      }),
    );
    const last = page[page.length - 1];
    return {
      next: page.length < ctx.limit || !last ? null : last._id,
      processed: written.reduce((a: number, b) => a + b, 0),
    };
  },
});

/**
 * The backfill's job document, already done: a database created with `roleKeys` on every user
 * (the demo seed) stores it so that the timer has nothing to migrate.
 */
export function roleKeysBackfillDone(now: number): Record<string, unknown> {
  return { ...jobDoc(ROLE_KEYS_JOB, {}, now), status: 'done', doneAt: now };
}

/** Runtimes (instances) that have seen the job: later timer runs skip even its one read. */
const seen = new WeakSet<object>();

/**
 * Timer step: enqueue the backfill once (the job runner, a later step of the same run, does the
 * work). One read of the job document per run until this instance has seen it.
 */
export async function queueRoleKeysBackfill(now: number): Promise<{ queued: boolean }> {
  const rt = runtime();
  if (seen.has(rt)) return { queued: false };
  if (await getById('jobs', ROLE_KEYS_JOB_ID)) {
    seen.add(rt);
    return { queued: false };
  }
  const queued = await transaction(async (t) => {
    if (await t.get('jobs', ROLE_KEYS_JOB_ID)) return false;
    await enqueue(t, ROLE_KEYS_JOB, {}, now, { id: ROLE_KEYS_JOB_ID });
    return true;
  });
  seen.add(rt);
  return { queued };
}
