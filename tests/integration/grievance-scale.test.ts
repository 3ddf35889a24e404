/**
 * Grievances at scale: statistics from counters kept in the transitions' transactions equal a
 * direct computation over the same grievances; work queues page by key in the documented order;
 * the daily limit holds under concurrent submits.
 */
import { createLocalRuntime } from '../../tools/runtime/local-runtime';
import { seed } from '../../tools/runtime/seed';
import { computeStats } from '../../cloudfunctions/domain/grievance-stats';
import { DEFAULT_CATEGORIES, dueAt, isOverdue } from '../../cloudfunctions/domain/grievance';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Grievance } from '../../types/domain';
import type { GrievanceDetail, GrievanceSummary } from '../../types/api';

const WORKER = 'demo-worker';
const UNIT = 'demo-unit';
const COMMUNITY = 'community-xingfuli';
const TEXT = '小区三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患';
const resident = (i: number) => `demo-neighbour-${String(i).padStart(3, '0')}`;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const submit = (by: string, category: string) =>
  h.call(by, 'grievance', 'submit', { communityId: COMMUNITY, category, text: TEXT } as never);
const step = (by: string, action: string, data: Record<string, unknown>) =>
  h.call(by, 'grievance', action as 'accept', data as never) as Promise<GrievanceDetail>;

async function allGrievances(): Promise<Grievance[]> {
  const { data } = await h.rt.runtime.db.collection('grievances').limit(1000).get();
  return data as Grievance[];
}

/** A mix over several days: accepted in and out of time, dispatched, redispatched, rated, reopened, escalated, returned. */
async function makeMix(): Promise<void> {
  const cats = ['sanitation', 'repairs', 'safety', 'neighbours', 'property'];
  const ids: string[] = [];
  for (let day = 0; day < 4; day++) {
    for (let i = 0; i < 6; i++) {
      const g = await submit(resident(day * 6 + i + 1), cats[(day + i) % cats.length] as string);
      ids.push(g._id);
      h.clock.advance(HOUR);
    }
    h.clock.advance(DAY - 6 * HOUR + 7 * HOUR);
  }
  const hospital = { kind: 'unit', id: 'unit-hospital' };
  const worker = { kind: 'worker', id: WORKER };
  for (const [n, id] of ids.entries()) {
    const kind = n % 8;
    if (kind === 0) continue; // left waiting (overdue later)
    if (kind === 1) {
      await step(WORKER, 'returnGrievance', { grievanceId: id, reason: '不属于社区受理范围' });
      continue;
    }
    await step(WORKER, 'accept', { grievanceId: id });
    if (kind === 2) continue; // accepted, never dispatched
    await step(WORKER, 'dispatch', { grievanceId: id, handler: kind % 2 ? hospital : worker });
    if (kind === 3) {
      await step(WORKER, 'dispatch', { grievanceId: id, handler: worker });
      continue;
    }
    const by = kind % 2 ? UNIT : WORKER;
    await step(by, 'resolve', { grievanceId: id, result: '已处理完毕' });
    const owner = (await allGrievances()).find((g) => g._id === id)?.openid as string;
    if (kind === 4) continue; // resolved, not rated
    if (kind === 5) {
      await step(owner, 'rate', { grievanceId: id, satisfaction: 'satisfied' });
      continue;
    }
    await step(owner, 'rate', { grievanceId: id, satisfaction: 'dissatisfied' }); // 重办
    await step(WORKER, 'dispatch', { grievanceId: id, handler: hospital });
    await step(UNIT, 'resolve', { grievanceId: id, result: '重新处理完毕' });
    await step(owner, 'rate', { grievanceId: id, satisfaction: kind === 6 ? 'basic' : 'dissatisfied' });
  }
  h.clock.advance(3 * DAY);
}

describe('statistics from counters', () => {
  it('equal a direct computation over the same grievances, for several periods', async () => {
    h.clock.set(Date.UTC(2026, 10, 28, 2)); // 11-28 10:00 Shanghai: the mix crosses into December
    await makeMix();
    const all = await allGrievances();
    expect(all.length).toBe(24);
    const now = h.clock.now;
    const shanghai = (y: number, m: number, d: number) => Date.UTC(y, m, d) - 8 * HOUR;
    const periods = [
      { from: shanghai(2026, 10, 1), to: shanghai(2026, 11, 1) }, // November
      { from: shanghai(2026, 10, 1), to: shanghai(2027, 0, 1) }, // two months
      { from: shanghai(2026, 10, 29), to: shanghai(2026, 11, 2) }, // edge days only
      { from: shanghai(2026, 0, 1), to: shanghai(2027, 0, 1) }, // the year
    ];
    for (const period of periods) {
      const stats = await h.call(WORKER, 'grievance', 'stats', period);
      const direct = computeStats(all, DEFAULT_CATEGORIES, period, now);
      expect(stats).toEqual({
        ...direct,
        byHandler: direct.byHandler.map((r) => ({ ...r, name: expect.any(String) })),
      });
    }
    const year = await h.call(WORKER, 'grievance', 'stats', periods[3]!);
    expect(year.received).toBe(24);
    expect(year.overdue).toBeGreaterThan(0);
    expect(year.byHandler.length).toBe(2);
    expect(year.rated).toBeGreaterThan(0);
  });

  it('widens a period to whole Shanghai days and counts only those created in it', async () => {
    await submit(resident(1), 'sanitation'); // 2026-11-21 10:00 Shanghai
    const noon = Date.UTC(2026, 10, 21, 4);
    const stats = await h.call(WORKER, 'grievance', 'stats', { from: noon, to: noon + HOUR });
    expect(stats.from).toBe(Date.UTC(2026, 10, 20, 16));
    expect(stats.to).toBe(Date.UTC(2026, 10, 21, 16));
    expect(stats.received).toBe(1);
    const before = await h.call(WORKER, 'grievance', 'stats', {
      from: Date.UTC(2026, 10, 1),
      to: Date.UTC(2026, 10, 20, 16),
    });
    expect(before.received).toBe(0);
    expect(
      (await h.fail(WORKER, 'grievance', 'stats', { from: Date.UTC(2010, 0, 1), to: h.clock.now })).code,
    ).toBe('INVALID_INPUT');
  });
});

describe('work queue', () => {
  /** The order the queue promised before it was indexed: overdue, 重办, nearest deadline, oldest. */
  function legacyOrder(now: number) {
    return (a: Grievance, b: Grievance) => {
      const ao = isOverdue(a, now) ? 0 : 1;
      const bo = isOverdue(b, now) ? 0 : 1;
      if (ao !== bo) return ao - bo;
      if (a.priority !== b.priority) return a.priority ? -1 : 1;
      return (
        (dueAt(a) ?? Number.MAX_SAFE_INTEGER) - (dueAt(b) ?? Number.MAX_SAFE_INTEGER) ||
        a.createdAt - b.createdAt ||
        a._id.localeCompare(b._id)
      );
    };
  }

  async function pages(data: Record<string, unknown>, by = WORKER): Promise<GrievanceSummary[]> {
    const out: GrievanceSummary[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await h.call(by, 'grievance', by === WORKER ? 'queue' : ('handlerQueue' as 'queue'), {
        pageSize: 4,
        ...data,
        ...(cursor ? { cursor } : {}),
      } as never);
      out.push(...page.items);
      expect(page.total).toBeGreaterThanOrEqual(out.length);
      cursor = page.nextCursor;
      if (!cursor) {
        expect(page.total).toBe(out.length);
        return out;
      }
    }
    throw new Error('too many pages');
  }

  it('pages by key through every segment in the documented order, with filters', async () => {
    h.clock.set(Date.UTC(2026, 10, 28, 2));
    await makeMix();
    const now = h.clock.now;
    const all = (await allGrievances()).sort(legacyOrder(now));
    expect((await pages({})).map((g) => g._id)).toEqual(all.map((g) => g._id));
    expect((await pages({ overdueOnly: true })).map((g) => g._id)).toEqual(
      all.filter((g) => isOverdue(g, now)).map((g) => g._id),
    );
    expect((await pages({ stage: 'rated' })).map((g) => g._id)).toEqual(
      all.filter((g) => g.stage === 'rated').map((g) => g._id),
    );
    expect((await pages({ category: 'repairs' })).map((g) => g._id)).toEqual(
      all.filter((g) => g.category === 'repairs').map((g) => g._id),
    );
    // The hospital's staff see what is dispatched to the hospital, in the same order.
    expect((await pages({}, UNIT)).map((g) => g._id)).toEqual(
      all.filter((g) => g.handler?.id === 'unit-hospital').map((g) => g._id),
    );
    expect(all.some((g) => g.priority)).toBe(true);
    expect(all.some((g) => isOverdue(g, now))).toBe(true);
  });

  it('refuses a forged cursor with a clear message', async () => {
    for (const cursor of ['99999999999999999999', '7:abc', '0:' + 'z'.repeat(200)]) {
      const err = await h.fail(WORKER, 'grievance', 'queue', { cursor });
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain('分页');
    }
  });
});

describe('daily limit under concurrency', () => {
  it('10 concurrent submits by one person: exactly 5 succeed', async () => {
    // With the engine's simulated round trip (when available) the transactions really interleave.
    const options = {
      dataDir: ':memory:' as const,
      now: () => Date.UTC(2026, 10, 21, 2),
      quiet: true,
      latencyMs: Number(process.env.ENGINE_LATENCY_MS ?? 2),
    };
    const rt = createLocalRuntime(options);
    try {
      await seed(rt);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          rt.call(
            'grievance',
            {
              action: 'submit',
              data: { communityId: COMMUNITY, category: 'sanitation', text: TEXT },
            },
            'demo-resident',
          ),
        ),
      );
      const ok = results.filter((r) => r.ok);
      expect(ok).toHaveLength(5);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(
        Array(5).fill('RATE_LIMITED'),
      );
      const { total } = (await rt.runtime.db
        .collection('grievances')
        .where({ openid: 'demo-resident' })
        .count()) as { total: number };
      expect(total).toBe(5);
      const numbers = ok.map((r) => (r.ok ? (r.data as GrievanceDetail).number : '')).sort();
      expect(new Set(numbers).size).toBe(5);
    } finally {
      rt.close();
    }
  });

  it('counts per Shanghai day: the next day allows five more', async () => {
    for (let i = 0; i < 5; i++) await submit('demo-resident', 'sanitation');
    expect(
      (
        await h.fail('demo-resident', 'grievance', 'submit', {
          communityId: COMMUNITY,
          category: 'sanitation',
          text: TEXT,
        })
      ).code,
    ).toBe('RATE_LIMITED');
    h.clock.advance(14 * HOUR); // 11-22 00:00 Shanghai
    await submit('demo-resident', 'sanitation');
  });
});
