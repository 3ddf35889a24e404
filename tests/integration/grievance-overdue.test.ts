/**
 * Overdue reminders are found through the `remindKey` index and handled in bounded batches per
 * timer run: each overdue deadline is reminded once, however many runs see it.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import type { Grievance } from '../../types/domain';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const TEXT = '小区三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患';

async function reminded(): Promise<number> {
  const { data } = await h.rt.runtime.db.collection('grievances').limit(1000).get();
  return (data as Grievance[]).filter((g) => g.timeline.some((e) => e.action === 'remindOverdue')).length;
}

it('reminds at most a batch per run, each overdue grievance once, and none before its deadline', async () => {
  const before = await reminded();
  for (let person = 0; person < 12; person++) {
    for (let i = 0; i < 5; i++) {
      await h.call(`overdue-${person}`, 'grievance', 'submit', {
        communityId: 'community-xingfuli',
        category: 'sanitation',
        text: `${TEXT}（第 ${person}-${i} 件）`,
      } as never);
    }
  }
  await h.rt.tick(); // nothing new is overdue yet
  expect(await reminded()).toBe(before);
  h.clock.advance(30 * HOUR); // past the 24 h response deadline
  const runs: number[] = [];
  for (let run = 0; run < 4; run++) {
    const report = (await h.rt.tick()).data.overdueGrievances as { reminded: number };
    runs.push(report.reminded);
  }
  expect(runs[0]).toBe(50); // one bounded batch per run
  expect(runs.reduce((a, b) => a + b, 0)).toBe((await reminded()) - before);
  expect(await reminded()).toBeGreaterThanOrEqual(before + 60);
  expect(runs[3]).toBe(0);
});
