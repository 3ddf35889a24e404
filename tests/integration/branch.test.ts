/**
 * Party organisation life (issue 16) through the real `branch` and timer functions on the embedded
 * engine: roster-based attendance (a member who never signs up is counted absent), leave asked and
 * approved, minutes visible to the branch only, rosters private to the branch and workers,
 * compliance from the monthly counters, member records, reminders, 责任区; interleaved races
 * (one member's concurrent check-ins count once; one member added to two branches at once: one
 * wins); request budgets (≤ 4 sequential database requests) after a warm-up call.
 */
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import type { AttendanceDoc, BranchHolder, BranchMember } from '../../types/branch';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import { TALLY_IN_CLOSE } from '../../cloudfunctions/branch/meetings';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const SEC = 'demo-member';
const XFL = 'community-xingfuli';
const M = ['pm-1', 'pm-2', 'pm-3'];
const OTHER_SEC = 'pm-9';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  const db = h.rt.runtime.db;
  for (const [i, openid] of [...M, OTHER_SEC, 'pm-8'].entries())
    await db
      .collection('users')
      .doc(openid)
      .set({
        openid,
        nickName: `党员${i + 1}`,
        ...rolesPatch([{ role: 'resident' }, { role: 'member', communityId: XFL }]),
        currentCommunityId: XFL,
        createdAt: h.clock.now,
        updatedAt: h.clock.now,
      });
});
afterEach(() => h.close());

async function branchWithMembers() {
  const b = await h.call(WORKER, 'branch', 'createBranch', {
    communityId: XFL,
    name: '幸福里第一党支部',
    secretary: SEC,
  });
  for (const openid of M) await h.call(SEC, 'branch', 'addMember', { branchId: b._id, openid });
  return b;
}

async function themeDay(branchId: string, startIn = DAY) {
  const startAt = h.clock.now + startIn;
  return h.call(SEC, 'branch', 'createMeeting', {
    branchId,
    kind: 'themeDay',
    title: '11月主题党日',
    place: '幸福里党群服务中心',
    startAt,
    endAt: startAt + 2 * HOUR,
  });
}

async function messagesOf(openid: string): Promise<StoredMessage[]> {
  const { data } = await h.rt.runtime.db.collection('messages').where({ openid, kind: 'branchNotice' }).get();
  return data as StoredMessage[];
}

describe('branches and rosters', () => {
  it('a worker creates a branch; the secretary builds the roster; committee appointed', async () => {
    const b = await branchWithMembers();
    const members = await h.call(SEC, 'branch', 'members', { branchId: b._id });
    expect(members.map((m) => m.openid).sort()).toEqual([SEC, ...M].sort());
    expect(members.find((m) => m.openid === SEC)?.role).toBe('secretary');
    const appointed = await h.call(WORKER, 'branch', 'appoint', { branchId: b._id, committee: ['pm-1'] });
    expect(appointed.committee).toEqual(['pm-1']);
    expect((await h.fail(WORKER, 'branch', 'appoint', { branchId: b._id, committee: ['pm-8'] })).code).toBe(
      'INVALID_INPUT',
    );
    // only members can be on a roster; only the secretary (or a worker) changes it
    expect((await h.fail(SEC, 'branch', 'addMember', { branchId: b._id, openid: RESIDENT })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await h.fail('pm-1', 'branch', 'addMember', { branchId: b._id, openid: 'pm-8' })).code).toBe(
      'FORBIDDEN',
    );
    const my = await h.call('pm-2', 'branch', 'myBranch', {});
    expect(my.branch?.name).toBe('幸福里第一党支部');
  });

  it('rosters are private: a resident and another branch’s member are refused', async () => {
    const b = await branchWithMembers();
    await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '幸福里第二党支部',
      secretary: OTHER_SEC,
    });
    expect((await h.fail(RESIDENT, 'branch', 'members', { branchId: b._id })).code).toBe('FORBIDDEN');
    expect((await h.fail(OTHER_SEC, 'branch', 'members', { branchId: b._id })).code).toBe('FORBIDDEN');
    expect((await h.fail(RESIDENT, 'branch', 'meetings', { branchId: b._id })).code).toBe('FORBIDDEN');
    expect((await h.call('pm-3', 'branch', 'members', { branchId: b._id })).length).toBe(4);
    expect((await h.call(WORKER, 'branch', 'members', { branchId: b._id })).length).toBe(4);
    // a member belongs to one branch
    const other = (await h.call(WORKER, 'branch', 'listBranches', { communityId: XFL })).find(
      (x) => x._id !== b._id,
    )!;
    expect(
      (await h.fail(OTHER_SEC, 'branch', 'addMember', { branchId: other._id, openid: 'pm-1' })).code,
    ).toBe('CONFLICT');
  });
});

describe('meetings: roll-call, leave, minutes, compliance, records', () => {
  it('absent members are counted without signing up; leave approved; compliance done; records', async () => {
    const b = await branchWithMembers();
    const m = await themeDay(b._id);
    expect(m.agenda).toHaveLength(6);
    expect(m.expectedCount).toBe(4);
    // everyone expected got the notice in the message centre
    for (const o of [SEC, ...M]) expect((await messagesOf(o)).length).toBe(1);
    expect(await messagesOf(RESIDENT)).toHaveLength(0);

    // leave: asked with a reason before the start, approved by the secretary
    expect(
      (await h.call('pm-1', 'branch', 'requestLeave', { meetingId: m._id, reason: '外出务工' })).status,
    ).toBe('leavePending');
    expect(
      (await h.fail('pm-2', 'branch', 'decideLeave', { meetingId: m._id, openid: 'pm-1', approve: true }))
        .code,
    ).toBe('FORBIDDEN');
    await h.call(SEC, 'branch', 'decideLeave', { meetingId: m._id, openid: 'pm-1', approve: true });
    expect((await messagesOf('pm-1')).map((x) => x.title).join()).toContain('请假已批准');

    // at the meeting: the secretary shows the code, two members check in, pm-3 does nothing
    h.clock.advance(DAY);
    const { code } = await h.call(SEC, 'branch', 'checkInCode', { meetingId: m._id });
    expect(
      (
        await h.fail('pm-2', 'branch', 'checkIn', {
          meetingId: m._id,
          code: '000000' === code ? '111111' : '000000',
        })
      ).code,
    ).toBe('CONFLICT');
    await h.call('pm-2', 'branch', 'checkIn', { meetingId: m._id, code });
    await h.call(SEC, 'branch', 'checkIn', { meetingId: m._id, code });
    expect((await h.fail(RESIDENT, 'branch', 'checkIn', { meetingId: m._id, code })).code).toBe('FORBIDDEN');
    expect(
      (await h.fail('pm-3', 'branch', 'requestLeave', { meetingId: m._id, reason: '临时有事' })).code,
    ).toBe('CONFLICT');

    const before = await h.call(SEC, 'branch', 'meeting', { meetingId: m._id });
    expect(Object.fromEntries(before.rows!.map((r) => [r.openid, r.status]))).toEqual({
      [SEC]: 'present',
      'pm-1': 'leaveApproved',
      'pm-2': 'present',
      'pm-3': 'expected',
    });

    // minutes: photos must be the writer's own; visible to the branch only
    expect(
      (
        await h.fail(SEC, 'branch', 'writeMinutes', {
          meetingId: m._id,
          text: '学习了党章第三章',
          photos: ['cloud://x/not-mine.jpg'],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    await h.call(SEC, 'branch', 'writeMinutes', {
      meetingId: m._id,
      text: '学习了党章第三章，收缴党费，开展楼道清洁志愿服务。',
      resolutions: ['下月开展敬老助餐'],
    });
    // a photo the secretary uploaded is taken, and kept when the text is edited without photos
    const photoKey = 'a1'.repeat(16);
    await h.rt.runtime.db.collection('files').doc(photoKey).set({ owner: SEC, createdAt: h.clock.now });
    await h.call(SEC, 'branch', 'writeMinutes', {
      meetingId: m._id,
      text: '照片：楼道清洁前后',
      photos: [`local:${photoKey}`],
    });
    await h.call(SEC, 'branch', 'writeMinutes', {
      meetingId: m._id,
      text: '学习了党章第三章，收缴党费，开展楼道清洁志愿服务。',
      resolutions: ['下月开展敬老助餐'],
    });
    expect((await h.call('pm-3', 'branch', 'meeting', { meetingId: m._id })).minutes?.photoUrls).toHaveLength(
      1,
    );
    expect((await h.call('pm-3', 'branch', 'meeting', { meetingId: m._id })).minutes?.resolutions).toEqual([
      '下月开展敬老助餐',
    ]);
    expect((await h.call('pm-3', 'branch', 'meeting', { meetingId: m._id })).rows).toBeUndefined();
    expect((await h.fail(RESIDENT, 'branch', 'meeting', { meetingId: m._id })).code).toBe('FORBIDDEN');
    await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '幸福里第二党支部',
      secretary: OTHER_SEC,
    });
    expect((await h.fail(OTHER_SEC, 'branch', 'meeting', { meetingId: m._id })).code).toBe('FORBIDDEN');

    // closing counts the meeting: absent = expected − present − approved leave
    h.clock.advance(3 * HOUR);
    const closed = await h.call(SEC, 'branch', 'closeMeeting', { meetingId: m._id });
    expect(closed.tally).toEqual({ expected: 4, present: 2, leave: 1, absent: 1 });
    expect(closed.rows!.find((r) => r.openid === 'pm-3')?.status).toBe('absent');
    // closing twice changes nothing
    expect((await h.call(SEC, 'branch', 'closeMeeting', { meetingId: m._id })).tally).toEqual(closed.tally);

    const compliance = await h.call(WORKER, 'branch', 'compliance', { communityId: XFL });
    const mine = compliance.find((c) => c.branchId === b._id)!;
    expect(mine.items.find((i) => i.kind === 'themeDay')).toMatchObject({ status: 'done', held: 1 });
    expect(mine.items.find((i) => i.kind === 'committee')?.status).not.toBe('done');
    expect((await h.fail(RESIDENT, 'branch', 'compliance', { communityId: XFL })).code).toBe('FORBIDDEN');

    const rec3 = await h.call('pm-3', 'branch', 'memberRecord', {});
    expect(rec3).toMatchObject({ present: 0, leave: 0, absent: 1, meetingsCounted: 1 });
    const rec1 = await h.call(SEC, 'branch', 'memberRecord', { openid: 'pm-1' });
    expect(rec1).toMatchObject({ present: 0, leave: 1, absent: 0 });
    expect((await h.call('pm-2', 'branch', 'memberRecord', {})).present).toBe(1);
    expect((await h.fail('pm-2', 'branch', 'memberRecord', { openid: 'pm-3' })).code).toBe('FORBIDDEN');
    // the points summary is derived with the branch's rule
    await h.call(SEC, 'branch', 'setPointsRule', {
      branchId: b._id,
      perAttendance: 5,
      perServiceHour: 1,
      perRequest: 2,
    });
    expect((await h.call('pm-2', 'branch', 'memberRecord', {})).points?.total).toBe(5);
  });

  it('a roster larger than TALLY_IN_CLOSE: the close answers in 4 rounds, the timer writes the yearly records', async () => {
    const db = h.rt.runtime.db;
    const many = Array.from({ length: TALLY_IN_CLOSE + 5 }, (_, i) => `pm-big-${i}`);
    for (const openid of many)
      await db
        .collection('users')
        .doc(openid)
        .set({
          openid,
          nickName: `大支部党员${openid}`,
          ...rolesPatch([{ role: 'resident' }, { role: 'member', communityId: XFL }]),
          currentCommunityId: XFL,
          createdAt: h.clock.now,
          updatedAt: h.clock.now,
        });
    const b = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '大支部',
      secretary: SEC,
    });
    for (const openid of many) await h.call(SEC, 'branch', 'addMember', { branchId: b._id, openid });
    const m = await themeDay(b._id, HOUR);
    h.clock.advance(3 * HOUR);
    await h.call(SEC, 'user', 'me', {});
    const metered = await h.rt.metered('branch', { action: 'closeMeeting', data: { meetingId: m._id } }, SEC);
    expect(metered.depth).toBeLessThanOrEqual(4);
    expect((metered.result as { ok: boolean }).ok).toBe(true);
    // Not yet counted: the job is the timer's.
    expect((await h.call(many[0]!, 'branch', 'memberRecord', {})).meetingsCounted).toBe(0);
    await h.rt.tick();
    const rec = await h.call(many[0]!, 'branch', 'memberRecord', {});
    expect(rec).toMatchObject({ absent: 1, meetingsCounted: 1 });
    const last = await h.call(many[many.length - 1]!, 'branch', 'memberRecord', {});
    expect(last).toMatchObject({ absent: 1, meetingsCounted: 1 });
  });

  it('reminders go out the day before and 2 hours before, once each', async () => {
    const b = await branchWithMembers();
    const m = await themeDay(b._id, 3 * DAY);
    const tick = () => h.rt.tick();
    await tick();
    expect(await messagesOf('pm-3')).toHaveLength(1); // the notice only
    h.clock.set(m.startAt - DAY + 60_000);
    await tick();
    await tick();
    expect(await messagesOf('pm-3')).toHaveLength(2);
    h.clock.set(m.startAt - 2 * HOUR + 60_000);
    await tick();
    await tick();
    const msgs = await messagesOf('pm-3');
    expect(msgs).toHaveLength(3);
    expect(msgs.map((x) => x.title).join()).toMatch(/明天开会.*2小时后开会|2小时后开会.*明天开会/);
  });

  it('the compliance reminder reaches the secretary and the worker once a month', async () => {
    await branchWithMembers();
    h.clock.set(Date.UTC(2026, 10, 25, 2));
    await h.rt.tick();
    await h.rt.tick();
    const sec = (await messagesOf(SEC)).filter((x) => x.title.includes('组织生活提醒'));
    const worker = (await messagesOf(WORKER)).filter((x) => x.title.includes('组织生活提醒'));
    expect(sec).toHaveLength(1);
    expect(worker).toHaveLength(1);
    expect(sec[0]!.body).toContain('主题党日');
  });
});

describe('党员责任区', () => {
  it('residents see their area’s member (masked contact) and can message them', async () => {
    const b = await branchWithMembers();
    await h.call(SEC, 'branch', 'setArea', {
      branchId: b._id,
      openid: 'pm-2',
      buildings: ['3栋', '4栋'],
      contact: '13812345678',
    });
    expect(
      (await h.fail(SEC, 'branch', 'setArea', { branchId: b._id, openid: 'pm-3', buildings: ['4栋'] })).code,
    ).toBe('CONFLICT');
    const a = await h.call(RESIDENT, 'branch', 'areaMember', { communityId: XFL, building: '3栋' });
    expect(a).toMatchObject({ memberName: '党员2', buildings: ['3栋'], contactMasked: '138****5678' });
    expect(JSON.stringify(a)).not.toContain('13812345678');
    const all = await h.call(RESIDENT, 'branch', 'areas', { communityId: XFL });
    expect(all).toHaveLength(1);
    expect(all[0]!.buildings).toEqual(['3栋', '4栋']);
    await h.call(RESIDENT, 'branch', 'messageAreaMember', {
      communityId: XFL,
      building: '4栋',
      text: '楼道灯坏了，麻烦看看',
    });
    expect((await messagesOf('pm-2')).map((x) => x.body)).toContain('楼道灯坏了，麻烦看看');
    // released buildings are free again
    await h.call(SEC, 'branch', 'setArea', { branchId: b._id, openid: 'pm-2', buildings: ['3栋'] });
    expect(await h.call(RESIDENT, 'branch', 'areaMember', { communityId: XFL, building: '4栋' })).toBeNull();
  });
});

describe('races (interleaved requests)', () => {
  it('concurrent check-ins of one member count once', async () => {
    const b = await branchWithMembers();
    const m = await themeDay(b._id);
    h.clock.advance(DAY);
    const { code } = await h.call(SEC, 'branch', 'checkInCode', { meetingId: m._id });
    const results = await h.interleaved(() =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          h.raw('pm-1', 'branch', { action: 'checkIn', data: { meetingId: m._id, code } }),
        ),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const { data } = await h.rt.runtime.db.collection('branch_attendance').where({ meetingId: m._id }).get();
    expect((data as AttendanceDoc[]).filter((d) => d.openid === 'pm-1')).toHaveLength(1);
    h.clock.advance(3 * HOUR);
    expect((await h.call(SEC, 'branch', 'closeMeeting', { meetingId: m._id })).tally?.present).toBe(1);
  });

  it('one member added to two branches at once: exactly one wins', async () => {
    const a = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '第一支部',
      secretary: SEC,
    });
    const b = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '第二支部',
      secretary: OTHER_SEC,
    });
    const [ra, rb] = await h.interleaved(() =>
      Promise.all([
        h.raw(SEC, 'branch', { action: 'addMember', data: { branchId: a._id, openid: 'pm-8' } }),
        h.raw(OTHER_SEC, 'branch', { action: 'addMember', data: { branchId: b._id, openid: 'pm-8' } }),
      ]),
    );
    expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
    const loser = ra.ok ? rb : ra;
    expect(!loser.ok && loser.error.code).toBe('CONFLICT');
    const winner = ra.ok ? a : b;
    const holder = (await h.rt.runtime.db.collection('branch_holders').doc('pm-8').get())
      .data as BranchHolder[];
    expect(holder[0]!.branchId).toBe(winner._id);
    const { data } = await h.rt.runtime.db
      .collection('branch_members')
      .where({ openid: 'pm-8', active: true })
      .get();
    expect((data as BranchMember[]).map((x) => x.branchId)).toEqual([winner._id]);
  });
});

describe('request budgets (≤ 4 sequential database requests)', () => {
  it('check-in, leave, meeting detail and compliance', async () => {
    const b = await branchWithMembers();
    const m = await themeDay(b._id);
    const metered = async (openid: string, action: string, data: unknown) => {
      await h.rt.call('branch', { action: 'myBranch', data: {} }, openid); // warm-up (caller cached)
      const r = await h.rt.metered('branch', { action, data }, openid);
      expect(r.result.ok).toBe(true);
      return r.depth;
    };
    expect(await metered('pm-1', 'requestLeave', { meetingId: m._id, reason: '出差' })).toBeLessThanOrEqual(
      4,
    );
    expect(await metered(SEC, 'meeting', { meetingId: m._id })).toBeLessThanOrEqual(4);
    expect(await metered('pm-2', 'meeting', { meetingId: m._id })).toBeLessThanOrEqual(4);
    expect(await metered(WORKER, 'compliance', { communityId: XFL })).toBeLessThanOrEqual(4);
    h.clock.advance(DAY);
    const { code } = await h.call(SEC, 'branch', 'checkInCode', { meetingId: m._id });
    expect(await metered('pm-2', 'checkIn', { meetingId: m._id, code })).toBeLessThanOrEqual(4);
  });
});
