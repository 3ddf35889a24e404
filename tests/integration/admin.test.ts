/**
 * The worker's workbench counts and the street admin's management of communities, service sites
 * and workers (user function), on the real handlers and the embedded engine.
 */
import type { RequestCount } from '../../tools/runtime/request-meter';
import type { AuditEntry, Grievance, RoleGrant, User } from '../../types/domain';
import { isOverdue } from '../../cloudfunctions/domain/grievance';
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import {
  ADMIN,
  addUser,
  all,
  approvedVolunteer,
  count,
  HP,
  ID_A,
  RESIDENT,
  serviceInput,
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const roles = async (openid: string): Promise<RoleGrant[]> =>
  ((await h.rt.runtime.db.collection('users').doc(openid).get()) as { data: User[] }).data[0]!.roles;
const audits = (where: Record<string, unknown> = {}) => all<AuditEntry>(h, 'audit_log', where);

describe('workbench', () => {
  it('counts what waits for the worker and follows new work', async () => {
    const before = await h.call(WORKER, 'user', 'workbench', {});
    expect(before.communityId).toBe(XFL);
    const keys = Object.keys(before.counts).sort();
    expect(keys).toEqual(
      [
        'claims',
        'corrections',
        'grievancesDueToday',
        'grievancesNew',
        'grievancesOverdue',
        'makeups',
        'proposals',
        'registrations',
        'reports',
        'signUps',
      ].sort(),
    );
    // The seed's figures match the collections.
    expect(before.counts.registrations).toBe(
      await count(h, 'volunteers', { communityId: XFL, status: 'pending' }),
    );
    expect(before.counts.reports).toBe(
      await count(h, 'member_reports', { communityId: XFL, status: 'pending' }),
    );
    expect(before.counts.grievancesNew).toBe(
      await count(h, 'grievances', { communityId: XFL, stage: 'submitted' }),
    );

    // A session that needs review gets an application; a resident submits a grievance.
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    const service = await h.call(WORKER, 'volunteer', 'publishService', serviceInput(h, { review: true }));
    const session = service.sessions[0]!;
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: session.activityId } as never);
    await h.call(RESIDENT, 'grievance', 'submit', {
      communityId: XFL,
      category: 'safety',
      text: '小区三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患',
    } as never);

    const after = await h.call(WORKER, 'user', 'workbench', {});
    expect(after.counts.signUps).toBe(before.counts.signUps + 1);
    expect(after.firstPendingActivityId).toBe(session.activityId);
    expect(after.counts.grievancesNew).toBe(before.counts.grievancesNew + 1);
    // 安全隐患 is urgent: it must be accepted within 2 hours, i.e. later today (10:00 → 12:00)…
    expect(after.counts.grievancesDueToday).toBe(before.counts.grievancesDueToday + 1);
    // …and once that passes it is overdue.
    h.clock.advance(3 * HOUR);
    const late = await h.call(WORKER, 'user', 'workbench', {});
    expect(late.counts.grievancesOverdue).toBeGreaterThanOrEqual(after.counts.grievancesOverdue + 1);
    expect(late.counts.grievancesOverdue).toBe(
      (await all<Grievance>(h, 'grievances', { communityId: XFL })).filter((g) => isOverdue(g, h.clock.now))
        .length,
    );

    // The activity's managers see its waiting applications; others are refused.
    expect(await h.call(WORKER, 'user', 'pendingSignUps', { activityId: session.activityId })).toEqual({
      pending: 1,
    });
    expect((await h.fail(RESIDENT, 'user', 'pendingSignUps', { activityId: session.activityId })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(WORKER, 'user', 'pendingSignUps', { activityId: 'nope' })).code).toBe('NOT_FOUND');
  });

  it('answers in at most 2 sequential database round trips, counting only', async () => {
    const metered = (h.rt as { metered?: (...a: unknown[]) => Promise<RequestCount & { result: unknown }> })
      .metered;
    if (!metered) return; // the request meter is a local-runtime feature
    const m = await metered.call(h.rt, 'user', { action: 'workbench', data: {} }, WORKER);
    expect(m.result).toMatchObject({ ok: true });
    expect(m.depth).toBeLessThanOrEqual(2);
    // No full reads of any work collection: counts, plus one single-document peek at sign-ups.
    expect(m.log.filter((l) => !/calculateDocument|users|signups/.test(l))).toEqual([]);
  });

  it('is for workers of the community and the admin only', async () => {
    expect((await h.fail(RESIDENT, 'user', 'workbench', {})).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'user', 'workbench', { communityId: HP })).code).toBe('FORBIDDEN');
    expect((await h.call(ADMIN, 'user', 'workbench', { communityId: HP })).communityId).toBe(HP);
    expect((await h.fail(WORKER, 'user', 'workbench', { extra: 1 })).code).toBe('INVALID_INPUT');
  });
});

describe('street admin: communities, sites and workers', () => {
  it('creates a community, appoints a worker who then manages it, removal revokes; all audited', async () => {
    const c = await h.call(ADMIN, 'user', 'saveCommunity', { name: '新华社区', address: '新华路 8 号' });
    expect(c).toMatchObject({ name: '新华社区', address: '新华路 8 号', streetId: expect.any(String) });
    const dir = await h.call(RESIDENT, 'user', 'communities', {});
    expect(dir.communities.map((x) => x.name)).toContain('新华社区');

    const edited = await h.call(ADMIN, 'user', 'saveCommunity', {
      communityId: c._id,
      name: '新华里社区',
      address: '新华路 10 号',
    });
    expect(edited).toMatchObject({ _id: c._id, name: '新华里社区', address: '新华路 10 号' });

    const site = await h.call(ADMIN, 'user', 'saveSite', {
      communityId: c._id,
      name: '新华里党群服务站',
      address: '新华路 10 号一楼',
      lat: 28.2,
      lng: 112.98,
      openingHours: '9:00–17:00',
      facilities: ['活动室'],
      contact: '0731-1234567',
    });
    expect((await h.call(RESIDENT, 'user', 'communities', {})).sites.map((s) => s._id)).toContain(site._id);
    const { _id: siteId, ...siteFields } = site;
    await h.call(ADMIN, 'user', 'saveSite', { ...siteFields, siteId, name: '新华里服务站' });
    expect(
      (await h.call(RESIDENT, 'user', 'communities', {})).sites.find((s) => s._id === site._id)?.name,
    ).toBe('新华里服务站');

    // Find the person and appoint them.
    await addUser(h, 'new-worker', [{ role: 'resident' }]);
    await h.call(ADMIN, 'user', 'updateProfile', {}); // no-op, keeps the admin's record loaded
    const found = await h.call(ADMIN, 'user', 'findUsers', { query: 'new-worker' });
    expect(found.items.map((u) => u.openid)).toContain('new-worker');
    const appointed = await h.call(ADMIN, 'user', 'appointWorker', {
      openid: 'new-worker',
      communityId: c._id,
    });
    expect(appointed.roles).toContainEqual({ role: 'worker', communityId: c._id });
    const staff = await h.call(ADMIN, 'user', 'listStaff', { communityId: c._id });
    expect(staff.items).toEqual([expect.objectContaining({ openid: 'new-worker', communityIds: [c._id] })]);
    expect((await h.call(ADMIN, 'user', 'listStaff', {})).items.map((s) => s.openid)).toEqual(
      expect.arrayContaining(['new-worker', WORKER]),
    );

    // The new worker manages the community: its workbench and publishing there.
    expect((await h.call('new-worker', 'user', 'workbench', {})).communityId).toBe(c._id);
    const published = await h.call('new-worker', 'volunteer', 'publishService', {
      ...(serviceInput(h) as object),
      communityId: c._id,
      place: { name: '新华里服务站', lat: 28.2, lng: 112.98 },
    } as never);
    expect(published.communityId).toBe(c._id);

    // Removal revokes: the same calls are refused.
    const removed = await h.call(ADMIN, 'user', 'removeWorker', { openid: 'new-worker', communityId: c._id });
    expect(removed.roles).not.toContainEqual({ role: 'worker', communityId: c._id });
    expect((await h.fail('new-worker', 'user', 'workbench', { communityId: c._id })).code).toBe('FORBIDDEN');
    expect((await h.call(ADMIN, 'user', 'listStaff', { communityId: c._id })).items).toEqual([]);

    const log = await audits({ actor: ADMIN });
    expect(log.map((e) => e.action).sort()).toEqual(
      ['communitySaved', 'communitySaved', 'roleGranted', 'roleRevoked', 'siteSaved', 'siteSaved'].sort(),
    );
    expect(log.find((e) => e.action === 'roleGranted')).toMatchObject({
      subject: 'new-worker',
      communityId: c._id,
    });
  });

  it('refuses non-admins and bad input, changing nothing', async () => {
    const communities = await count(h, 'communities');
    const logBefore = (await audits()).length;
    for (const who of [WORKER, RESIDENT]) {
      expect((await h.fail(who, 'user', 'saveCommunity', { name: '新华社区', address: '新华路' })).code).toBe(
        'FORBIDDEN',
      );
      expect((await h.fail(who, 'user', 'appointWorker', { openid: RESIDENT, communityId: XFL })).code).toBe(
        'FORBIDDEN',
      );
      expect((await h.fail(who, 'user', 'removeWorker', { openid: WORKER, communityId: XFL })).code).toBe(
        'FORBIDDEN',
      );
      expect((await h.fail(who, 'user', 'listStaff', {})).code).toBe('FORBIDDEN');
    }
    const bad = await h.fail(ADMIN, 'user', 'saveCommunity', { name: '新', address: '' });
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', fields: { name: '社区名称至少 2 个字' } });
    expect(
      (await h.fail(ADMIN, 'user', 'saveCommunity', { name: '幸福里社区', address: '重复的名字' })).code,
    ).toBe('CONFLICT');
    expect(
      (await h.fail(ADMIN, 'user', 'appointWorker', { openid: RESIDENT, communityId: 'nowhere' })).code,
    ).toBe('NOT_FOUND');
    expect((await h.fail(ADMIN, 'user', 'appointWorker', { openid: 'nobody', communityId: XFL })).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (
        await h.fail(ADMIN, 'user', 'saveSite', {
          communityId: XFL,
          name: '站',
          address: 'x',
          lat: 200,
          lng: 0,
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(await count(h, 'communities')).toBe(communities);
    expect((await audits()).length).toBe(logBefore);
    expect(await roles(WORKER)).toContainEqual({ role: 'worker', communityId: XFL });
  });

  it('concurrent grant and revoke on one user both take effect', async () => {
    await addUser(h, 'busy-person', [{ role: 'resident' }, { role: 'worker', communityId: HP }]);
    const run =
      (h as { interleaved?: <T>(w: () => Promise<T>) => Promise<T> }).interleaved?.bind(h) ?? ((w) => w());
    for (let round = 0; round < 3; round++) {
      await run(() =>
        Promise.all([
          h.call(ADMIN, 'user', 'appointWorker', { openid: 'busy-person', communityId: XFL }),
          h.call(ADMIN, 'user', 'removeWorker', { openid: 'busy-person', communityId: HP }),
          h.call(WORKER, 'user', 'grantRole', { openid: 'busy-person', role: 'volunteer', communityId: XFL }),
        ]),
      );
      const now = await roles('busy-person');
      expect(now).toContainEqual({ role: 'worker', communityId: XFL });
      expect(now).toContainEqual({ role: 'volunteer', communityId: XFL });
      expect(now).not.toContainEqual({ role: 'worker', communityId: HP });
      // Reset for the next round, again concurrently.
      await run(() =>
        Promise.all([
          h.call(ADMIN, 'user', 'removeWorker', { openid: 'busy-person', communityId: XFL }),
          h.call(ADMIN, 'user', 'appointWorker', { openid: 'busy-person', communityId: HP }),
          h.call(WORKER, 'user', 'revokeRole', {
            openid: 'busy-person',
            role: 'volunteer',
            communityId: XFL,
          }),
        ]),
      );
      expect((await roles('busy-person')).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
        { role: 'resident' },
        { role: 'worker', communityId: HP },
      ]);
    }
    h.clock.advance(HOUR);
    const grants = await audits({ subject: 'busy-person' });
    // Each round: 2 grants + 1 revoke, then 1 grant + 2 revokes; one audit entry per change.
    expect(grants.filter((e) => e.action === 'roleGranted')).toHaveLength(9);
    expect(grants.filter((e) => e.action === 'roleRevoked')).toHaveLength(9);
  });
});
