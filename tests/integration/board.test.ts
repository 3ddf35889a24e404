/**
 * 公示栏 (cloudfunctions/board) on the demo data: the board's figures equal direct counts of the
 * same records (grievance.stats for the month, project and hour documents, alliance.rankUnits),
 * no personal data in the answer, notices published only by the community's workers, ≤ 4
 * sequential database requests for board.view.
 */
import { dashboardBucketId } from '../../cloudfunctions/domain/dashboard-tally';
import { createHarness, type Harness } from '../helpers/harness';
import type { Project } from '../../types/alliance';
import type { User } from '../../types/domain';
import { HP, OTHER_WORKER, RESIDENT, WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  // Grievances through the real handlers (their counters are what the board reads).
  for (const [who, text] of [
    [RESIDENT, '楼道灯坏了好几天，晚上看不清楼梯'],
    ['board-resident-2', '小区门口垃圾堆放，气味很大请处理'],
    ['board-resident-3', '单元门禁损坏，陌生人随意进出'],
  ] as const) {
    const g = await h.call(who, 'grievance', 'submit', { communityId: XFL, category: 'repairs', text });
    if (who === RESIDENT) await h.call(WORKER, 'grievance', 'accept', { grievanceId: g._id });
  }
  // Hour totals and projects as their own functions store them (this month and others).
  const db = h.rt.runtime.db;
  const hours: [string, string, string, number][] = [
    [XFL, MONTH, 'v1', 3.5],
    [XFL, MONTH, 'v2', 2],
    [XFL, MONTH, 'v3', 1.25],
    [XFL, '2026-10', 'v1', 9],
    [HP, MONTH, 'v4', 7],
  ];
  for (const [communityId, period, openid, h2] of hours) {
    await db
      .collection('hour_totals')
      .doc(`${communityId}_${period}_${openid}`)
      .set({ communityId, period, openid, hours: h2, updatedAt: 0 });
  }
  const project = (id: string, patch: Partial<Project>) =>
    db
      .collection('projects')
      .doc(id)
      .set({
        communityId: XFL,
        title: `项目${id}`,
        goal: '目标',
        tasks: [],
        wanted: '',
        deadline: TO,
        maxClaims: 2,
        needIds: [],
        status: 'open',
        activeClaims: 0,
        approvedClaims: 0,
        ratingCount: 0,
        ratingSum: 0,
        updates: [],
        createdBy: WORKER,
        createdAt: FROM,
        updatedAt: FROM,
        ...patch,
      });
  await project('p-claimed', { approvedClaims: 1, activeClaims: 1 });
  await project('p-open', {});
  await project('p-done-now', {
    status: 'completed',
    approvedClaims: 2,
    ratingCount: 3,
    ratingSum: 13,
    completedAt: FROM + 86400_000,
  });
  await project('p-done-before', {
    status: 'completed',
    approvedClaims: 1,
    ratingCount: 0,
    completedAt: FROM - 86400_000,
  });
  await project('p-other', {
    communityId: HP,
    status: 'completed',
    approvedClaims: 1,
    completedAt: FROM + 1,
  });
});
afterAll(() => h.close());

const MONTH = '2026-11';
// [from, to) of November 2026 in Asia/Shanghai.
const FROM = Date.UTC(2026, 10, 1) - 8 * 3600_000;
const TO = Date.UTC(2026, 11, 1) - 8 * 3600_000;

async function all<T>(name: string, where: Record<string, unknown> = {}): Promise<T[]> {
  const { data } = await h.rt.runtime.db.collection(name).where(where).limit(1000).get();
  return data as T[];
}

describe('board.view', () => {
  it('equals direct counts of the same records', async () => {
    // The service function's counters in two shards of the month's dashboard buckets.
    for (const [shard, c] of [
      [1, { svc_posted: 4, svc_met: 3, svc_rated: 2, svc_stars: 9 }],
      [6, { svc_posted: 3, svc_met: 2, svc_rated: 2, svc_stars: 9, su_volunteer: 5 }],
    ] as const) {
      await h.rt.runtime.db
        .collection('dashboard_stats')
        .doc(dashboardBucketId(XFL, '202611', shard))
        .set({ communityId: XFL, month: '202611', shard, ...c });
    }
    const board = await h.call(RESIDENT, 'board', 'view', { communityId: XFL, month: MONTH });
    expect(board).toMatchObject({ communityId: XFL, communityName: '幸福里社区', month: MONTH });

    // 三率: the same counters grievance.stats reads for the month.
    const stats = await h.call(WORKER, 'grievance', 'stats', { communityId: XFL, from: FROM, to: TO });
    expect(board.grievances).toEqual({
      received: stats.received,
      resolved: stats.resolved,
      rated: stats.rated,
      satisfied: stats.satisfied,
      unrated: stats.unrated,
      responseRate: stats.responseRate,
      resolutionRate: stats.resolutionRate,
      satisfactionRate: stats.satisfactionRate,
    });
    expect(board.grievances).toMatchObject({ received: 3, resolved: 0 });
    expect(board.grievances.responseRate).toBeCloseTo(1 / 3, 3);

    expect(board.service).toEqual({ available: true, posted: 7, met: 5, rated: 4, avgRating: 4.5 });

    const projects = await all<Project>('projects', { communityId: XFL });
    expect(board.projects.claimed).toBe(
      projects.filter((p) => p.status === 'open' && p.approvedClaims > 0).length,
    );
    expect(board.projects.completed).toBe(projects.filter((p) => p.status === 'completed').length);
    expect(board.projects.completedThisMonth).toBe(
      projects.filter((p) => p.status === 'completed' && p.completedAt! >= FROM && p.completedAt! < TO)
        .length,
    );
    expect(board.projects).toMatchObject({ claimed: 1, completed: 2, completedThisMonth: 1 });
    expect(board.projects.items.find((p) => p.projectId === 'p-done-now')).toMatchObject({
      avgRating: 4.3,
      units: 2,
    });
    const shown = projects.filter((p) => p.approvedClaims > 0 || p.status === 'completed');
    expect(board.projects.items.map((p) => p.projectId).sort()).toEqual(shown.map((p) => p._id).sort());
    for (const item of board.projects.items) {
      const p = projects.find((x) => x._id === item.projectId)!;
      expect(item.ratingCount).toBe(p.ratingCount);
      expect(item.avgRating).toBe(p.ratingCount ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null);
    }

    const ranking = await h.call(WORKER, 'alliance', 'rankUnits', { communityId: XFL, year: 2026 });
    expect(board.units.items.map((u) => [u.rank, u.unitName, u.score])).toEqual(
      ranking.items.map((u) => [u.rank, u.unitName, u.score]),
    );

    const hours = await all<{ hours: number }>('hour_totals', { communityId: XFL, period: MONTH });
    expect(board.volunteerHours).toEqual({ month: 6.8, volunteers: 3 });
    expect(board.volunteerHours.volunteers).toBe(hours.length);
    expect(board.volunteerHours.month).toBeCloseTo(
      hours.reduce((s, r) => s + r.hours, 0),
      1,
    );
  });

  it('says when there are no service-request counters for the month', async () => {
    const board = await h.call(RESIDENT, 'board', 'view', { communityId: HP, month: '2026-10' });
    expect(board.service).toEqual({ available: false, posted: 0, met: 0, rated: 0, avgRating: null });
  });

  it('contains no personal data (no openid, person’s name or phone)', async () => {
    await h.call(WORKER, 'board', 'publishNotice', {
      communityId: XFL,
      title: '停水通知',
      body: '12月5日 9:00–12:00 幸福路片区停水检修。',
    });
    const board = await h.call(RESIDENT, 'board', 'view', { communityId: XFL, month: MONTH });
    const text = JSON.stringify(board);
    expect(text).not.toMatch(/"(openid|nickName|name|phone|publishedBy|bookerName|handler)"/);
    const users = await all<User>('users');
    expect(users.length).toBeGreaterThan(5);
    for (const u of users) {
      expect(text).not.toContain(u.openid);
      expect(text).not.toContain(u.nickName);
    }
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/); // no mobile number
  });

  it('refuses an unknown community and a malformed month', async () => {
    expect((await h.fail(RESIDENT, 'board', 'view', { communityId: 'nowhere' })).code).toBe('NOT_FOUND');
    expect(await h.fail(RESIDENT, 'board', 'view', { communityId: XFL, month: '2026-13' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: '月份格式应为 2026-12',
    });
  });

  it('takes at most 4 sequential database requests', async () => {
    await h.rt.call('user', { action: 'me', data: {} }, RESIDENT);
    const m = await h.rt.metered(
      'board',
      { action: 'view', data: { communityId: XFL, month: MONTH } },
      RESIDENT,
    );
    expect(m.result.ok).toBe(true);
    expect(m.depth).toBeLessThanOrEqual(4);
  });
});

describe('notices (公告)', () => {
  it('workers of the community publish and remove; residents read the published ones, pinned first', async () => {
    const a = await h.call(WORKER, 'board', 'publishNotice', {
      communityId: XFL,
      title: '垃圾分类宣传周',
      body: '本周六上午在党群服务中心门口设宣传点。',
    });
    const pinned = await h.call(WORKER, 'board', 'publishNotice', {
      communityId: XFL,
      title: '社区服务时间调整',
      body: '即日起党群服务中心周日开放。',
      pinned: true,
    });
    expect(pinned).toEqual({
      noticeId: pinned.noticeId,
      communityId: XFL,
      title: '社区服务时间调整',
      body: '即日起党群服务中心周日开放。',
      pinned: true,
      publishedAt: h.clock.now,
    });
    const board = await h.call(RESIDENT, 'board', 'view', { communityId: XFL });
    expect(board.notices[0]!.noticeId).toBe(pinned.noticeId);
    expect((await h.call(RESIDENT, 'board', 'notice', { noticeId: a.noticeId })).title).toBe(
      '垃圾分类宣传周',
    );

    expect((await h.fail(OTHER_WORKER, 'board', 'removeNotice', { noticeId: a.noticeId })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(RESIDENT, 'board', 'removeNotice', { noticeId: a.noticeId })).code).toBe(
      'FORBIDDEN',
    );
    await h.call(WORKER, 'board', 'removeNotice', { noticeId: a.noticeId });
    expect((await h.fail(RESIDENT, 'board', 'notice', { noticeId: a.noticeId })).code).toBe('NOT_FOUND');
    const list = await h.call(RESIDENT, 'board', 'notices', { communityId: XFL });
    expect(list.items.map((n) => n.noticeId)).not.toContain(a.noticeId);
    expect(list.items.map((n) => n.noticeId)).toContain(pinned.noticeId);
  });

  it('only the community’s workers publish; bad input is refused and nothing is written', async () => {
    const before = (await all('board_notices')).length;
    const notice = { communityId: XFL, title: '测试公告', body: '测试正文内容' };
    expect((await h.fail(RESIDENT, 'board', 'publishNotice', notice)).code).toBe('FORBIDDEN');
    expect((await h.fail('demo-unit', 'board', 'publishNotice', notice)).code).toBe('FORBIDDEN');
    expect((await h.fail(OTHER_WORKER, 'board', 'publishNotice', notice)).code).toBe('FORBIDDEN');
    expect(
      await h.fail(WORKER, 'board', 'publishNotice', { ...notice, title: '长'.repeat(41) }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: '标题最多 40 个字',
    });
    expect((await all('board_notices')).length).toBe(before);
  });
});
