/**
 * `roleKeys` (domain/roles.ts): who holds a role is found through the `users.role_keys` array index,
 * with exactly the users the old `roles: elemMatch(...)` query found — on the demo data, after
 * grants and revokes through every path that writes roles, and after the backfill of users stored
 * before the field existed (user/role-keys.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { runJobs } from '../../cloudfunctions/core/jobs';
import { roleKey, roleKeysOf } from '../../cloudfunctions/domain/roles';
import { staffOf } from '../../cloudfunctions/alliance/common';
import { managersOf } from '../../cloudfunctions/sites/actions';
import { peopleOf, workersOf } from '../../cloudfunctions/service/common';
import { remindOverdueGrievances } from '../../cloudfunctions/grievance/overdue';
import { queueRoleKeysBackfill, ROLE_KEYS_JOB, ROLE_KEYS_JOB_ID } from '../../cloudfunctions/user/role-keys';
import { bootstrapAdmin } from '../../tools/runtime/bootstrap-admin';
import { Store } from '../../tools/runtime/engine/store';
import { seedDemoGrievances } from '../../tools/runtime/seed';
import type { Job, Role, RoleGrant, User } from '../../types/domain';
import { createHarness, DAY, type Harness } from '../helpers/harness';
import {
  addUser,
  ADMIN,
  approvedVolunteer,
  HP,
  ID_A,
  RESIDENT,
  UNIT,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const ROOT = path.resolve(__dirname, '../..');
const ROLES: Role[] = ['resident', 'volunteer', 'member', 'unitStaff', 'worker', 'admin'];
const _ = () => h.rt.runtime.db.command;

async function ids(where: Record<string, unknown>): Promise<string[]> {
  const { data } = (await h.rt.runtime.db
    .collection('users')
    .where(where)
    .orderBy('_id', 'asc')
    .limit(1000)
    .get()) as { data: User[] };
  return data.map((u) => u._id);
}

async function allUsers(): Promise<User[]> {
  return (
    (await h.rt.runtime.db.collection('users').orderBy('_id', 'asc').limit(1000).get()) as { data: User[] }
  ).data;
}

/** Every role × (no scope, each community, each unit) that occurs in the data, plus a few that do not. */
async function probes(): Promise<{ role: Role; communityId?: string; unitId?: string }[]> {
  const users = await allUsers();
  const communities = new Set<string>(['community-nowhere']);
  const units = new Set<string>(['unit-nowhere']);
  for (const u of users)
    for (const g of u.roles) {
      if (g.communityId) communities.add(g.communityId);
      if (g.unitId) units.add(g.unitId);
    }
  const out: { role: Role; communityId?: string; unitId?: string }[] = [];
  for (const role of ROLES) {
    out.push({ role });
    for (const communityId of communities) out.push({ role, communityId });
    for (const unitId of units) out.push({ role, unitId });
  }
  return out;
}

/** For every probe: the role-key lookup finds exactly the users the elemMatch query finds. */
async function expectSameAsElemMatch(): Promise<number> {
  let found = 0;
  for (const p of await probes()) {
    const { role, ...scope } = p;
    const old = await ids({ roles: _().elemMatch(p) });
    const now = await ids({ roleKeys: roleKey(role, scope) });
    expect([p, now]).toEqual([p, old]);
    found += old.length;
  }
  // `$in` over several scopes (service.peopleOf, branch compliance reminders).
  const old = await ids({ roles: _().elemMatch({ role: 'worker', communityId: _().in([XFL, HP]) }) });
  const keys = [XFL, HP].map((communityId) => roleKey('worker', { communityId }));
  expect(await ids({ roleKeys: _().in(keys) })).toEqual(old);
  const unitIds = ['unit-hospital', 'unit-tech', 'unit-school'];
  expect(await ids({ roleKeys: _().in(unitIds.map((unitId) => roleKey('unitStaff', { unitId }))) })).toEqual(
    await ids({ roles: _().elemMatch({ role: 'unitStaff', unitId: _().in(unitIds) }) }),
  );
  return found;
}

async function expectKeysInStep(): Promise<void> {
  for (const u of await allUsers()) expect([u._id, u.roleKeys]).toEqual([u._id, roleKeysOf(u.roles)]);
}

/** Full scans of `users` (a read with no index condition) made while `work` runs. */
async function usersScans<T>(work: () => Promise<T>): Promise<{ result: T; scans: number }> {
  let scans = 0;
  const original = Store.prototype.select;
  const spy = jest.spyOn(Store.prototype, 'select').mockImplementation(function (this: Store, coll, query) {
    if (coll === 'users' && query.where.clauses.length === 0) scans += 1;
    return original.call(this, coll, query);
  });
  try {
    const result = await work();
    return { result, scans };
  } finally {
    spy.mockRestore();
  }
}

describe('role-key lookups', () => {
  it('are served by the users.role_keys element table; the elemMatch query they replace scanned users', () => {
    const explain = (query: Record<string, unknown>, order?: Record<string, 1 | -1>) =>
      h.rt.database.explain('users', query, order, { limit: 500 }).join(' ');
    const shapes: [Record<string, unknown>, Record<string, 1 | -1>?][] = [
      [{ roleKeys: roleKey('worker', { communityId: XFL }) }],
      [{ roleKeys: roleKey('unitStaff', { unitId: 'unit-hospital' }) }],
      [{ roleKeys: roleKey('admin') }],
      [
        {
          roleKeys: {
            $in: [roleKey('worker', { communityId: XFL }), roleKey('worker', { communityId: HP })],
          },
        },
      ],
      // user.listStaff: by id, one bounded page.
      [{ roleKeys: roleKey('worker') }, { _id: 1 }],
    ];
    for (const [query, order] of shapes) {
      const plan = explain(query, order);
      expect([query, plan]).toEqual([query, expect.stringMatching(/mk_users_role_keys/)]);
      expect(plan).not.toMatch(/SCAN c_users/);
    }
    expect(explain({ roles: { $elemMatch: { role: 'worker', communityId: XFL } } })).toMatch(/SCAN c_users/);
  });

  it('find what elemMatch found on the demo data, and the handlers look staff up without scanning users', async () => {
    await expectKeysInStep();
    expect(await expectSameAsElemMatch()).toBeGreaterThan(50);

    await seedDemoGrievances(h.rt);
    h.clock.advance(30 * DAY);
    const { result, scans } = await usersScans(async () => {
      const r = {
        unitStaff: await staffOf('unit-hospital'),
        workers: await workersOf(XFL),
        people: await peopleOf([
          { kind: 'unit', id: 'unit-hospital' },
          { kind: 'person', id: RESIDENT },
        ]),
        venue: await managersOf({ kind: 'unitVenue', unitId: 'unit-hospital' } as never),
        center: await managersOf({ kind: 'center', communityId: XFL } as never),
        handlers: await h.call(WORKER, 'grievance', 'handlers', { communityId: XFL }),
        staff: await h.call(ADMIN, 'user', 'listStaff', {}),
        staffXfl: await h.call(ADMIN, 'user', 'listStaff', { communityId: XFL }),
        myUnit: await h.call(UNIT, 'alliance', 'myUnit', {}),
        directory: await h.call(WORKER, 'branch', 'refreshDirectory', { communityId: XFL }),
        overdue: await remindOverdueGrievances(h.clock.now),
      };
      return r;
    });
    expect(scans).toBe(0);
    // (The spy sees the scans the old lookup made.)
    expect(
      (await usersScans(() => ids({ roles: _().elemMatch({ role: 'worker', communityId: XFL }) }))).scans,
    ).toBe(1);
    expect(result.unitStaff.map((u) => u._id)).toEqual([UNIT]);
    expect(result.workers).toEqual([WORKER]);
    expect(result.people.sort()).toEqual([RESIDENT, UNIT].sort());
    expect(result.venue).toEqual([UNIT]);
    expect(result.center).toEqual([WORKER]);
    expect(result.handlers.handlers.filter((o) => o.kind === 'worker').map((o) => o.id)).toEqual([WORKER]);
    expect(
      result.handlers.handlers
        .filter((o) => o.kind === 'member')
        .map((o) => o.id)
        .sort(),
    ).toEqual(['demo-member']); // WORKER is listed once, as a worker
    expect(result.staff.items.map((s) => s.openid)).toEqual(
      await ids({ roles: _().elemMatch({ role: 'worker' }) }),
    );
    expect(result.staff.items.map((s) => s.openid)).toContain(WORKER);
    expect(result.staffXfl.items.map((s) => s.openid)).toEqual([WORKER]);
    expect(result.myUnit.colleagues.map((c) => c.openid)).toEqual([UNIT]);
    expect(result.overdue.reminded).toBeGreaterThan(0);
    expect(result.directory.members).toBe(
      (await ids({ roles: _().elemMatch({ role: 'member', communityId: XFL }) })).length,
    );
  });

  it('stay equal to elemMatch through grants and revokes on every path that writes roles', async () => {
    // An approved volunteer registration grants the volunteer role.
    await addUser(h, 'vol-1', [{ role: 'resident' }]);
    await approvedVolunteer(h, 'vol-1', ID_A);
    // A first call creates the user (core/guard.ts).
    await h.call('brand-new', 'user', 'me', {});
    expect((await ids({ roleKeys: 'resident' })).includes('brand-new')).toBe(true);
    // The street admin appoints and removes workers; a worker grants and revokes member/volunteer.
    await h.call(ADMIN, 'user', 'appointWorker', { openid: RESIDENT, communityId: HP });
    await h.call(ADMIN, 'user', 'appointWorker', { openid: 'brand-new', communityId: XFL });
    await h.call(ADMIN, 'user', 'removeWorker', { openid: WORKER, communityId: XFL });
    await h.call('brand-new', 'user', 'grantRole', { openid: RESIDENT, role: 'member', communityId: XFL });
    await h.call('brand-new', 'user', 'grantRole', {
      openid: 'demo-volunteer',
      role: 'member',
      communityId: XFL,
    });
    await h.call('brand-new', 'user', 'revokeRole', {
      openid: 'demo-member',
      role: 'member',
      communityId: XFL,
    });
    // Unit staff bind with an invite and are removed by the unit's admin.
    for (const openid of ['tech-1', 'tech-2']) {
      const invite = await h.call(ADMIN, 'alliance', 'issueInvite', { unitId: 'unit-tech', asAdmin: true });
      await h.call(openid, 'alliance', 'redeemInvite', { code: invite.code });
    }
    await h.call('tech-1', 'alliance', 'removeStaff', { unitId: 'unit-tech', openid: 'tech-2' });

    // The command-line bootstrap of the first street admin: a new user, and an existing one.
    await bootstrapAdmin(h.rt, { openid: 'first-admin' });
    await bootstrapAdmin(h.rt, { openid: 'demo-volunteer' });
    expect(await ids({ roleKeys: roleKey('admin') })).toEqual(
      [ADMIN, 'demo-volunteer', 'first-admin'].sort(),
    );

    await expectKeysInStep();
    await expectSameAsElemMatch();
    expect(await workersOf(XFL)).toEqual(['brand-new']);
    expect(await workersOf(HP)).toEqual([RESIDENT]);
    expect((await staffOf('unit-tech')).map((u) => u._id)).toEqual(['tech-1']);
    expect(await ids({ roleKeys: roleKey('volunteer', { communityId: XFL }) })).toContain('vol-1');
    expect(await ids({ roleKeys: roleKey('member', { communityId: XFL }) })).toEqual(
      ['demo-volunteer', RESIDENT, WORKER].sort(),
    );
  });
});

it('no cloud function looks roles up with elemMatch any more', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'dist' && e.name !== 'node_modules') walk(file);
      } else if (file.endsWith('.ts') && /roles:\s*[\w.()]*elemMatch/.test(fs.readFileSync(file, 'utf8'))) {
        offenders.push(path.relative(ROOT, file));
      }
    }
  };
  walk(path.join(ROOT, 'cloudfunctions'));
  expect(offenders).toEqual([]);
});

describe('the roleKeys backfill', () => {
  /** Users as a database from before roleKeys holds them. */
  async function stripKeys(openids: string[]): Promise<void> {
    // The seed marks the migration done (its users have keys): an old database has no such job.
    await h.rt.runtime.db.collection('jobs').doc(ROLE_KEYS_JOB_ID).remove();
    for (const openid of openids)
      await h.rt.runtime.db.collection('users').doc(openid).update({ roleKeys: _().remove() });
  }

  it('fills the keys of users stored without them, in bounded resumable batches, once', async () => {
    const users = await allUsers();
    // Everyone loses the keys; one user has stale ones (roles changed behind the keys' back).
    await stripKeys(users.map((u) => u._id));
    const stale: RoleGrant[] = [{ role: 'resident' }, { role: 'worker', communityId: HP }];
    await h.rt.runtime.db
      .collection('users')
      .doc(RESIDENT)
      .update({ roles: stale, roleKeys: roleKeysOf([{ role: 'resident' }]) });
    expect(await workersOf(XFL)).toEqual([]); // what an old database's lookups would find
    expect(await ids({ roleKeys: _().exists(true) })).toEqual([RESIDENT]);

    // One batch of 20 (by id): those 20 get their keys, the cursor is the last of them.
    const ctx = { now: h.clock.now, limit: 20, jobId: 'probe' };
    const first = await ROLE_KEYS_JOB.batch({}, null, ctx);
    expect(first).toMatchObject({ processed: 20, next: expect.any(String) });
    const cursor = first.next!;
    const filled = await ids({ roleKeys: _().exists(true) });
    expect(filled.filter((id) => id <= cursor)).toHaveLength(20);
    expect(filled.filter((id) => id > cursor)).toEqual(RESIDENT > cursor ? [RESIDENT] : []);
    // The same batch again (a crash before its cursor was saved) writes nothing.
    expect(await ROLE_KEYS_JOB.batch({}, null, ctx)).toEqual(first.next ? { ...first, processed: 0 } : first);

    // The timer step queues the job once; the job runner pages through the rest.
    expect(await queueRoleKeysBackfill(h.clock.now)).toEqual({ queued: true });
    expect(await queueRoleKeysBackfill(h.clock.now)).toEqual({ queued: false });
    await runJobs(h.clock.now, { budgetMs: 60_000, limit: 20 });
    const done = ((await h.rt.runtime.db.collection('jobs').doc(ROLE_KEYS_JOB_ID).get()) as { data: Job[] })
      .data[0]!;
    expect(done).toMatchObject({ status: 'done', processed: users.length - 20 });
    expect(done.batches).toBe(Math.floor(users.length / 20) + 1);
    await expectKeysInStep();
    await expectSameAsElemMatch();
    expect(await workersOf(XFL)).toEqual([WORKER]);
    expect(await workersOf(HP)).toEqual([RESIDENT]);
    // Queued once per database: a later timer run (another instance) finds the job and does nothing.
    expect(await queueRoleKeysBackfill(h.clock.now)).toEqual({ queued: false });
    expect(await h.rt.runtime.db.collection('jobs').where({ kind: 'roleKeysBackfill' }).count()).toEqual(
      expect.objectContaining({ total: 1 }),
    );
  });

  it('has nothing to do on a database seeded with keys', async () => {
    const report = (await h.rt.tick()) as { data: Record<string, unknown> };
    expect(report.data.roleKeysBackfill).toEqual({ queued: false });
    expect((await h.rt.runtime.db.collection('jobs').where({ kind: 'roleKeysBackfill' }).get()).data).toEqual(
      [expect.objectContaining({ _id: ROLE_KEYS_JOB_ID, status: 'done' })],
    );
  });

  it('runs as a step of the timer, before the jobs step', async () => {
    await stripKeys([WORKER, UNIT]);
    expect(await workersOf(XFL)).toEqual([]);
    const report = (await h.rt.tick()) as { data: Record<string, unknown> };
    expect(Object.keys(report.data).indexOf('roleKeysBackfill')).toBeLessThan(
      Object.keys(report.data).indexOf('jobs'),
    );
    expect(report.data.roleKeysBackfill).toEqual({ queued: true });
    expect(await workersOf(XFL)).toEqual([WORKER]);
    expect((await staffOf('unit-hospital')).map((u) => u._id)).toEqual([UNIT]);
    await expectKeysInStep();
  });
});
