/**
 * Round-trip budgets of the `branch` function (issue 16): each member-, secretary- and
 * worker-facing action makes at most 4 sequential database requests, counted at the runtime's
 * database seam (`h.rt.metered`) with the caller already in the per-instance cache (a first call of
 * theirs), as for a user's repeated calls. One table: the member's and the resident's actions, the
 * secretary's roster, meeting and rule actions, the worker's appointments and compliance.
 */
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const SEC = 'demo-member';
const XFL = 'community-xingfuli';
const BUDGET = 4;

let h: Harness;
const rows: { action: string; depth: number; requests: number; log: string[] }[] = [];

beforeAll(async () => {
  h = await createHarness();
  for (const [openid, nickName] of [
    ['pm-1', '王小红'],
    ['pm-2', '王大明'],
    ['pm-3', '赵刚'],
    ['pm-4', '孙立'],
  ] as const) {
    await h.rt.runtime.db
      .collection('users')
      .doc(openid)
      .set({
        openid,
        nickName,
        ...rolesPatch([{ role: 'resident' }]),
        currentCommunityId: XFL,
        createdAt: h.clock.now,
        updatedAt: h.clock.now,
      });
    await h.call(WORKER, 'user', 'grantRole', { openid, role: 'member', communityId: XFL });
  }
  const b = await h.call(WORKER, 'branch', 'createBranch', {
    communityId: XFL,
    name: '幸福里第一党支部',
    secretary: SEC,
  });
  for (const openid of ['pm-1', 'pm-2', 'pm-3'])
    await h.call(SEC, 'branch', 'addMember', { branchId: b._id, openid });
  await h.call(SEC, 'branch', 'setArea', { branchId: b._id, openid: 'pm-2', buildings: ['3栋'] });
  const meeting = async (startIn: number) => {
    const startAt = h.clock.now + startIn;
    return h.call(SEC, 'branch', 'createMeeting', {
      branchId: b._id,
      kind: 'themeDay',
      title: '主题党日',
      place: '幸福里党群服务中心',
      startAt,
      endAt: startAt + 2 * HOUR,
    });
  };
  const soon = await meeting(10 * 60_000);
  const later = await meeting(2 * DAY);
  await h.call('pm-2', 'branch', 'requestLeave', { meetingId: later._id, reason: '出差' });
  const { code } = await h.call(SEC, 'branch', 'checkInCode', { meetingId: soon._id });

  const measure = async (label: string, openid: string, action: string, data: unknown) => {
    await h.rt.call('branch', { action: 'myBranch', data: {} }, openid); // warm the caller cache
    const m = await h.rt.metered('branch', { action, data }, openid);
    if (!m.result.ok) throw new Error(`${label}: ${m.result.error.code} ${m.result.error.message}`);
    rows.push({ action: label, depth: m.depth, requests: m.requests, log: m.log });
  };
  const bid = { branchId: b._id };
  // members and residents
  await measure('myBranch', 'pm-1', 'myBranch', {});
  await measure('members', 'pm-1', 'members', bid);
  await measure('meetings', 'pm-1', 'meetings', bid);
  await measure('meeting (member)', 'pm-1', 'meeting', { meetingId: soon._id });
  await measure('checkIn', 'pm-1', 'checkIn', { meetingId: soon._id, code });
  await measure('requestLeave', 'pm-3', 'requestLeave', { meetingId: later._id, reason: '外出务工' });
  await measure('memberRecord', 'pm-1', 'memberRecord', {});
  await measure('branchCompliance', 'pm-1', 'branchCompliance', bid);
  await measure('areas', RESIDENT, 'areas', { communityId: XFL });
  await measure('areaMember', RESIDENT, 'areaMember', { communityId: XFL, building: '3栋' });
  await measure('messageAreaMember', RESIDENT, 'messageAreaMember', {
    communityId: XFL,
    building: '3栋',
    text: '楼道灯坏了',
  });
  // the secretary
  await measure('meeting (secretary)', SEC, 'meeting', { meetingId: soon._id });
  await measure('decideLeave', SEC, 'decideLeave', { meetingId: later._id, openid: 'pm-2', approve: true });
  await measure('searchMembers (name)', SEC, 'searchMembers', { ...bid, q: '王' });
  await measure('searchMembers (phone)', SEC, 'searchMembers', { ...bid, q: '1111' });
  await measure('addMember', SEC, 'addMember', { ...bid, openid: 'pm-4' });
  await measure('appoint (committee)', SEC, 'appoint', { ...bid, committee: ['pm-1'] });
  await measure('setArea', SEC, 'setArea', { ...bid, openid: 'pm-1', buildings: ['5栋'] });
  await measure('setPointsRule', SEC, 'setPointsRule', {
    ...bid,
    perAttendance: 2,
    perServiceHour: 1,
    perRequest: 1,
  });
  await measure('removeMember', SEC, 'removeMember', { ...bid, openid: 'pm-3' });
  await measure('markAttendance', SEC, 'markAttendance', {
    meetingId: soon._id,
    openid: 'pm-2',
    present: true,
  });
  await measure('createMeeting', SEC, 'createMeeting', {
    ...bid,
    kind: 'lecture',
    title: '党课',
    place: '幸福里党员活动室',
    startAt: h.clock.now + 3 * DAY,
    endAt: h.clock.now + 3 * DAY + HOUR,
  });
  h.clock.advance(HOUR);
  await measure('writeMinutes', SEC, 'writeMinutes', {
    meetingId: soon._id,
    text: '学习党章，讨论楼道清洁。',
  });
  h.clock.advance(2 * HOUR);
  await measure('closeMeeting', SEC, 'closeMeeting', { meetingId: soon._id });
  // the worker
  await measure('appoint (secretary)', WORKER, 'appoint', { ...bid, secretary: 'pm-1' });
  await measure('searchMembers (community)', WORKER, 'searchMembers', { communityId: XFL, q: '赵' });
  await measure('compliance', WORKER, 'compliance', { communityId: XFL });
  await measure('listBranches', WORKER, 'listBranches', { communityId: XFL });
});
afterAll(() => h.close());

it('every measured action did its work (writes committed in their transaction)', () => {
  const log = (a: string) => rows.find((r) => r.action === a)!.log.join(' | ');
  expect(log('messageAreaMember')).toMatch(/modifyDocument counters.*commitTransaction/);
  expect(log('removeMember')).toMatch(/modifyDocument branch_meetings.*modifyDocument audit_log/);
  expect(log('appoint (secretary)')).toMatch(/modifyDocument branches.*commitTransaction/);
  expect(log('setPointsRule')).toMatch(/modifyDocument audit_log.*commitTransaction/);
  expect(log('searchMembers (name)')).toMatch(/member_directory/);
  expect(log('searchMembers (name)')).not.toMatch(/getDocument users|users/);
  // A small roster's yearly records are written by the close itself; no job.
  expect(log('closeMeeting')).toMatch(/modifyDocument branch_member_years.*commitTransaction/);
  expect(log('closeMeeting')).not.toMatch(/jobs/);
});

it(`every branch action: at most ${BUDGET} sequential database requests`, () => {
  expect(rows.length).toBe(28);
  const over = rows
    .filter((r) => r.depth > BUDGET)
    .map((r) => ({ action: r.action, depth: r.depth, log: r.log }));
  expect(over).toEqual([]);
  console.log(
    `branch request depths:\n${rows.map((r) => `  ${r.action}: ${r.requests} requests, depth ${r.depth}`).join('\n')}`,
  );
});
