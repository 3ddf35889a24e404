/** Revealing a grievance phone is audited like a volunteer identity reveal (issue 10, defect 10). */
import { createHarness, type Harness } from '../helpers/harness';
import type { AuditEntry } from '../../types/volunteer';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function auditLog(): Promise<AuditEntry[]> {
  const { data } = await h.rt.runtime.db.collection('audit_log').limit(100).get();
  return data as AuditEntry[];
}

it('writes one audit entry per reveal (who, whose, which grievance), none when refused', async () => {
  const g = await h.call('demo-resident', 'grievance', 'submit', {
    communityId: 'community-xingfuli',
    category: 'sanitation',
    text: '小区三号楼楼道堆满纸箱杂物，已经很久没人清理',
    phone: '13812345678',
  } as never);
  expect(await auditLog()).toEqual([]);
  expect(await h.call('demo-worker', 'grievance', 'revealPhone', { grievanceId: g._id })).toEqual({
    phone: '13812345678',
  });
  expect(await auditLog()).toEqual([
    expect.objectContaining({
      at: h.clock.now,
      actor: 'demo-worker',
      action: 'grievancePhoneRevealed',
      subject: 'demo-resident',
      communityId: 'community-xingfuli',
      detail: expect.stringContaining(g.number),
    }),
  ]);
  expect((await h.fail('demo-member', 'grievance', 'revealPhone', { grievanceId: g._id })).code).toBe(
    'FORBIDDEN',
  );
  await h.call('demo-resident', 'grievance', 'revealPhone', { grievanceId: g._id });
  const entries = await auditLog();
  expect(entries).toHaveLength(2);
  expect(entries.map((e) => e.actor).sort()).toEqual(['demo-resident', 'demo-worker']);
});
