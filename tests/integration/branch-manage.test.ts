/**
 * Branch management (issue 16, follow-up) through the real `branch` and `user` functions on the
 * embedded engine: appointing the secretary (worker) and the committee (worker or secretary),
 * removing a member (future meetings drop them, started/closed ones keep their roster), the points
 * rule, the 党员名录 search (by name prefix or last four phone digits, masked, paged, indexed), the
 * daily limit on messages to 责任区 members (with an interleaved race), audit entries, refusals that
 * change nothing, and request budgets (≤ 4 sequential database requests).
 */
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { INDEXES } from '../../cloudfunctions/core/indexes';
import { AREA_MESSAGE_DAILY_LIMIT } from '../../cloudfunctions/domain/branch';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import type { Branch, Meeting } from '../../types/branch';
import type { AuditEntry } from '../../types/volunteer';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import { ID_B, registration } from './volunteer-fixtures';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const SEC = 'demo-member';
const XFL = 'community-xingfuli';
const HEPING = 'community-heping';
const M = ['pm-1', 'pm-2', 'pm-3'];

let h: Harness;
const db = () => h.rt.runtime.db;

/** A user who becomes a member of `communityId` the real way: user.grantRole by the worker. */
async function member(openid: string, nickName: string, opts: { phone?: string; realName?: string } = {}) {
  await db()
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
  if (opts.phone)
    await db()
      .collection('volunteers')
      .doc(openid)
      .set({
        openid,
        communityId: XFL,
        name: opts.realName ?? nickName,
        phoneMasked: `${opts.phone.slice(0, 3)}****${opts.phone.slice(-4)}`,
        status: 'approved',
        createdAt: h.clock.now,
        updatedAt: h.clock.now,
      });
  await h.call(WORKER, 'user', 'grantRole', { openid, role: 'member', communityId: XFL });
}

beforeEach(async () => {
  h = await createHarness();
  await member('pm-1', '王小红', { phone: '13900001111', realName: '王红' });
  await member('pm-2', '王大明');
  await member('pm-3', '赵刚', { phone: '13700002222' });
  await member('pm-9', '孙书记');
});
afterEach(() => h.close());

async function branchWithMembers(): Promise<Branch> {
  const b = await h.call(WORKER, 'branch', 'createBranch', {
    communityId: XFL,
    name: '幸福里第一党支部',
    secretary: SEC,
  });
  for (const openid of M) await h.call(SEC, 'branch', 'addMember', { branchId: b._id, openid });
  return b;
}

async function branchDoc(id: string): Promise<Branch> {
  return ((await db().collection('branches').doc(id).get()).data as Branch[])[0]!;
}
async function meetingDoc(id: string): Promise<Meeting> {
  return ((await db().collection('branch_meetings').doc(id).get()).data as Meeting[])[0]!;
}
async function audits(action: AuditEntry['action']): Promise<AuditEntry[]> {
  return (await db().collection('audit_log').where({ action }).get()).data as AuditEntry[];
}
async function meeting(branchId: string, startIn: number, title = '主题党日') {
  const startAt = h.clock.now + startIn;
  return h.call(SEC, 'branch', 'createMeeting', {
    branchId,
    kind: 'themeDay',
    title,
    place: '幸福里党群服务中心',
    startAt,
    endAt: startAt + 2 * HOUR,
  });
}

describe('appointing the secretary and the committee', () => {
  it('the worker replaces the secretary; the secretary sets the committee; both audited', async () => {
    const b = await branchWithMembers();
    // the secretary appoints the committee
    const c = await h.call(SEC, 'branch', 'appoint', { branchId: b._id, committee: ['pm-1', 'pm-2'] });
    expect(c.committee).toEqual(['pm-1', 'pm-2']);
    // the worker makes pm-1 secretary: they leave the committee, the old secretary stays a member
    const s = await h.call(WORKER, 'branch', 'appoint', { branchId: b._id, secretary: 'pm-1' });
    expect(s).toMatchObject({ secretary: 'pm-1', committee: ['pm-2'], secretaryName: '王小红' });
    const members = await h.call('pm-1', 'branch', 'members', { branchId: b._id });
    expect(members.find((m) => m.openid === 'pm-1')?.role).toBe('secretary');
    expect(members.find((m) => m.openid === SEC)?.role).toBe('member');
    const entries = await audits('branchAppointed');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.detail).join('|')).toMatch(/委员：王小红、王大明.*\|书记：王小红/);
    expect(entries.every((e) => e.subject === b._id && e.communityId === XFL)).toBe(true);
  });

  it('refusals change nothing: the secretary cannot replace themselves, a member cannot appoint, outsiders cannot be named', async () => {
    const b = await branchWithMembers();
    await h.call(SEC, 'branch', 'appoint', { branchId: b._id, committee: ['pm-1'] });
    const before = await branchDoc(b._id);
    const e1 = await h.fail(SEC, 'branch', 'appoint', { branchId: b._id, secretary: 'pm-2' });
    expect(e1).toMatchObject({ code: 'FORBIDDEN', message: '改任书记须由社区工作者办理' });
    expect((await h.fail('pm-2', 'branch', 'appoint', { branchId: b._id, committee: ['pm-2'] })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(RESIDENT, 'branch', 'appoint', { branchId: b._id, committee: [] })).code).toBe(
      'FORBIDDEN',
    );
    // pm-9 is a member of the community but not on this roster
    const e2 = await h.fail(WORKER, 'branch', 'appoint', { branchId: b._id, committee: ['pm-1', 'pm-9'] });
    expect(e2).toMatchObject({ code: 'INVALID_INPUT', message: '书记和委员须是本支部党员，请先加入支部' });
    expect((await h.fail(WORKER, 'branch', 'appoint', { branchId: b._id })).code).toBe('INVALID_INPUT');
    expect(await branchDoc(b._id)).toEqual(before);
    expect(await audits('branchAppointed')).toHaveLength(1);
  });
});

describe('removing a member', () => {
  it('meetings not yet started drop them; started and closed meetings keep their roster', async () => {
    const b = await branchWithMembers();
    const closed = await meeting(b._id, HOUR, '已召开的会');
    h.clock.advance(2 * HOUR);
    await h.call(SEC, 'branch', 'closeMeeting', { meetingId: closed._id });
    const started = await meeting(b._id, -10 * 60_000, '正在开的会');
    const future = await meeting(b._id, 2 * DAY, '下周的会');
    await h.call('pm-3', 'branch', 'requestLeave', { meetingId: future._id, reason: '外出' });
    await h.call(SEC, 'branch', 'appoint', { branchId: b._id, committee: ['pm-3'] });

    const r = await h.call(SEC, 'branch', 'removeMember', { branchId: b._id, openid: 'pm-3' });
    expect(r).toEqual({ removed: true, meetingsReleased: 1 });
    expect((await meetingDoc(future._id)).expected).not.toContain('pm-3');
    expect((await meetingDoc(started._id)).expected).toContain('pm-3');
    expect((await meetingDoc(closed._id)).expected).toContain('pm-3');
    expect((await meetingDoc(closed._id)).tally).toEqual({ expected: 4, present: 0, leave: 0, absent: 4 });
    const after = await branchDoc(b._id);
    expect(after).toMatchObject({ memberCount: 3, committee: [] });
    expect((await h.call(SEC, 'branch', 'members', { branchId: b._id })).map((m) => m.openid)).not.toContain(
      'pm-3',
    );
    // they no longer see the branch, and the future meeting closes without counting them absent
    expect((await h.call('pm-3', 'branch', 'myBranch', {})).branch).toBeNull();
    expect((await h.fail('pm-3', 'branch', 'meeting', { meetingId: future._id })).code).toBe('FORBIDDEN');
    h.clock.advance(3 * DAY);
    expect((await h.call(SEC, 'branch', 'closeMeeting', { meetingId: future._id })).tally).toEqual({
      expected: 3,
      present: 0,
      leave: 0,
      absent: 3,
    });
    const [entry] = await audits('branchMemberRemoved');
    expect(entry).toMatchObject({ actor: SEC, subject: 'pm-3', communityId: XFL });
    expect(entry!.detail).toContain('赵刚');
    // removing again changes nothing
    expect(await h.call(SEC, 'branch', 'removeMember', { branchId: b._id, openid: 'pm-3' })).toEqual({
      removed: false,
      meetingsReleased: 0,
    });
    expect(await audits('branchMemberRemoved')).toHaveLength(1);
  });

  it('refusals change nothing: the secretary cannot be removed, a member cannot remove', async () => {
    const b = await branchWithMembers();
    const future = await meeting(b._id, DAY);
    const before = [await branchDoc(b._id), await meetingDoc(future._id)];
    expect(await h.fail(WORKER, 'branch', 'removeMember', { branchId: b._id, openid: SEC })).toMatchObject({
      code: 'CONFLICT',
      message: '不能移出书记，请先改任书记',
    });
    expect((await h.fail('pm-1', 'branch', 'removeMember', { branchId: b._id, openid: 'pm-2' })).code).toBe(
      'FORBIDDEN',
    );
    expect([await branchDoc(b._id), await meetingDoc(future._id)]).toEqual(before);
    expect(await audits('branchMemberRemoved')).toHaveLength(0);
  });
});

describe('removal racing a new meeting (interleaved)', () => {
  it('a meeting created from the roster while a member is removed never counts them absent', async () => {
    const b = await branchWithMembers();
    const startAt = h.clock.now + DAY;
    const input = (title: string) => ({
      branchId: b._id,
      kind: 'themeDay' as const,
      title,
      place: '幸福里党群服务中心',
      startAt,
      endAt: startAt + 2 * HOUR,
    });
    const results = await h.interleaved(() =>
      Promise.all([
        h.raw(SEC, 'branch', { action: 'createMeeting', data: input('会议一') }),
        h.raw(SEC, 'branch', { action: 'removeMember', data: { branchId: b._id, openid: 'pm-3' } }),
        h.raw(SEC, 'branch', { action: 'createMeeting', data: input('会议二') }),
      ]),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    h.clock.set(startAt + 3 * HOUR);
    for (const r of [results[0], results[2]]) {
      if (!r?.ok) throw new Error('createMeeting failed');
      const id = (r.data as { _id: string })._id;
      const closed = await h.call(SEC, 'branch', 'closeMeeting', { meetingId: id });
      expect(closed.tally).toEqual({ expected: 3, present: 0, leave: 0, absent: 3 });
      expect((await meetingDoc(id)).expected).not.toContain('pm-3');
    }
    await h.rt.tick();
    expect(await h.call('pm-3', 'branch', 'memberRecord', {})).toMatchObject({
      absent: 0,
      meetingsCounted: 0,
    });
  });
});

describe('points rule', () => {
  it('the secretary sets it (audited) and records use it; others are refused and nothing changes', async () => {
    const b = await branchWithMembers();
    const rule = { perAttendance: 3, perServiceHour: 0.5, perRequest: 2 };
    expect((await h.call(SEC, 'branch', 'setPointsRule', { branchId: b._id, ...rule })).pointsRule).toEqual(
      rule,
    );
    expect((await h.call(SEC, 'branch', 'branchCompliance', { branchId: b._id })).pointsRule).toEqual(rule);
    expect((await h.call('pm-1', 'branch', 'memberRecord', {})).points?.rule).toEqual(rule);
    const [entry] = await audits('branchPointsRuleSet');
    expect(entry).toMatchObject({ actor: SEC, subject: b._id });
    expect(entry!.detail).toContain('每次参会 3 分');
    for (const who of ['pm-1', RESIDENT])
      expect(
        (
          await h.fail(who, 'branch', 'setPointsRule', {
            branchId: b._id,
            perAttendance: 100,
            perServiceHour: 0,
            perRequest: 0,
          })
        ).code,
      ).toBe('FORBIDDEN');
    expect(
      (await h.fail(SEC, 'branch', 'setPointsRule', { branchId: b._id, ...rule, perRequest: -1 })).code,
    ).toBe('INVALID_INPUT');
    expect((await branchDoc(b._id)).pointsRule).toEqual(rule);
    expect(await audits('branchPointsRuleSet')).toHaveLength(1);
  });
});

describe('党员名录 search', () => {
  it('a member whose real-name registration is approved is found by that name and phone', async () => {
    await h.call(
      'pm-2',
      'volunteer',
      'register',
      registration({ idNumber: ID_B, name: '钱学文', phone: '13600003333' }),
    );
    // Before approval: still the nickname.
    expect((await h.call(WORKER, 'branch', 'searchMembers', { communityId: XFL, q: '钱' })).items).toEqual(
      [],
    );
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: 'pm-2', approve: true });
    const byName = await h.call(WORKER, 'branch', 'searchMembers', { communityId: XFL, q: '钱' });
    expect(byName.items).toEqual([{ openid: 'pm-2', nameMasked: '钱*文', phoneMasked: '136****3333' }]);
    const byPhone = await h.call(WORKER, 'branch', 'searchMembers', { communityId: XFL, q: '3333' });
    expect(byPhone.items.map((x) => x.openid)).toEqual(['pm-2']);
  });

  it('by name prefix or last four phone digits, masked, with where each member stands', async () => {
    const b = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '幸福里第一党支部',
      secretary: SEC,
    });
    await h.call(SEC, 'branch', 'addMember', { branchId: b._id, openid: 'pm-2' });
    await h.call(WORKER, 'branch', 'createBranch', { communityId: XFL, name: '第二支部', secretary: 'pm-9' });
    await h.call('pm-9', 'branch', 'addMember', {
      branchId: (await h.call(WORKER, 'branch', 'listBranches', { communityId: XFL })).find(
        (x) => x.name === '第二支部',
      )!._id,
      openid: 'pm-3',
    });

    const wang = await h.call(SEC, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '王' });
    // pm-1's approved registration gives the real name 王红; pm-2 is found by nickname
    expect(wang.items.map((x) => [x.openid, x.nameMasked, x.phoneMasked, x.inBranch])).toEqual([
      ['pm-2', '王*明', undefined, 'this'],
      ['pm-1', '王*', '139****1111', undefined],
    ]);
    expect(JSON.stringify(wang)).not.toMatch(/王小红|王大明|13900001111/);
    expect(
      (await h.call(SEC, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: ' 王 大 ' }))
        .items,
    ).toHaveLength(1);
    // the branch alone names the community
    const byPhone = await h.call(SEC, 'branch', 'searchMembers', { branchId: b._id, q: '2222' });
    expect(byPhone.items).toEqual([
      { openid: 'pm-3', nameMasked: '赵*', phoneMasked: '137****2222', inBranch: 'other' },
    ]);
    // the worker searches the community (e.g. for a new branch's secretary)
    expect(
      (await h.call(WORKER, 'branch', 'searchMembers', { communityId: XFL, q: '孙' })).items.map(
        (x) => x.openid,
      ),
    ).toEqual(['pm-9']);
    // adding someone already in another branch is refused with a clear message
    expect(await h.fail(SEC, 'branch', 'addMember', { branchId: b._id, openid: 'pm-3' })).toMatchObject({
      code: 'CONFLICT',
      message: '该党员已在其他支部，请先由原支部转出',
    });
    // a revoked member is no longer found
    await h.call(WORKER, 'user', 'revokeRole', { openid: 'pm-1', role: 'member', communityId: XFL });
    expect(
      (await h.call(SEC, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '1111' })).items,
    ).toEqual([]);
  });

  it('pages of 10; refused to residents, plain members and other communities; bad queries are 400', async () => {
    for (let i = 0; i < 12; i++) await member(`pl-${i}`, `刘${String(i).padStart(2, '0')}号`);
    const b = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '一支部',
      secretary: SEC,
    });
    const p0 = await h.call(SEC, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '刘' });
    expect(p0.items).toHaveLength(10);
    expect(p0.hasMore).toBe(true);
    const p1 = await h.call(SEC, 'branch', 'searchMembers', {
      communityId: XFL,
      branchId: b._id,
      q: '刘',
      page: 1,
    });
    expect(p1).toMatchObject({ page: 1, hasMore: false });
    expect(new Set([...p0.items, ...p1.items].map((x) => x.openid)).size).toBe(12);

    expect((await h.fail(RESIDENT, 'branch', 'searchMembers', { communityId: XFL, q: '刘' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await h.fail('pm-1', 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '刘' })).code,
    ).toBe('FORBIDDEN');
    expect((await h.fail(SEC, 'branch', 'searchMembers', { communityId: XFL, q: '刘' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await h.fail(SEC, 'branch', 'searchMembers', { communityId: HEPING, branchId: b._id, q: '刘' })).code,
    ).toBe('FORBIDDEN');
    expect(
      await h.fail(SEC, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '139000' }),
    ).toMatchObject({ code: 'INVALID_INPUT', message: '按手机号查找请输入后 4 位数字' });
  });

  it('workers refresh the directory: members whose role was written directly appear, those without it retire', async () => {
    const b = await h.call(WORKER, 'branch', 'createBranch', {
      communityId: XFL,
      name: '一支部',
      secretary: SEC,
    });
    const find = (q: string) => h.call(SEC, 'branch', 'searchMembers', { branchId: b._id, q });
    // 李建国 (demo-member) got the role from the seed, not through user.grantRole
    expect((await find('李')).items).toEqual([]);
    // 赵刚 lost the role by a direct write (no revokeRole): the directory still lists them
    await db()
      .collection('users')
      .doc('pm-3')
      .update(rolesPatch([{ role: 'resident' }]));
    expect((await find('赵')).items).toHaveLength(1);
    expect((await h.fail(SEC, 'branch', 'refreshDirectory', { communityId: XFL })).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'branch', 'refreshDirectory', { communityId: HEPING })).code).toBe(
      'FORBIDDEN',
    );
    const r = await h.call(WORKER, 'branch', 'refreshDirectory', { communityId: XFL });
    expect(r.retired).toBe(1);
    expect((await find('李')).items).toEqual([{ openid: SEC, nameMasked: '李*国', inBranch: 'this' }]);
    expect((await find('赵')).items).toEqual([]);
    // running it again changes nothing
    expect(await h.call(WORKER, 'branch', 'refreshDirectory', { communityId: XFL })).toEqual({
      members: r.members,
      retired: 0,
    });
  });

  it('the search is served by an index of member_directory (no whole-collection load)', () => {
    const names = INDEXES.filter((i) => i.collection === 'member_directory').map((i) =>
      i.keys.map((k) => k.field).join(','),
    );
    expect(names).toEqual(['communityId,active,nameKey', 'communityId,active,phoneLast4']);
  });
});

describe('messages to 责任区 members: a daily limit per sender', () => {
  async function withArea() {
    const b = await branchWithMembers();
    await h.call(SEC, 'branch', 'setArea', { branchId: b._id, openid: 'pm-2', buildings: ['3栋'] });
    return b;
  }
  const send = (text = '楼道灯坏了，麻烦看看') =>
    h.raw(RESIDENT, 'branch', {
      action: 'messageAreaMember',
      data: { communityId: XFL, building: '3栋', text },
    });
  async function received(): Promise<number> {
    const { data } = await db().collection('messages').where({ openid: 'pm-2', kind: 'branchNotice' }).get();
    return (data as StoredMessage[]).filter((m) => m.title.startsWith('居民留言：3栋居民')).length;
  }

  it(`at most ${AREA_MESSAGE_DAILY_LIMIT} a day; the next is refused (429) and sends nothing; the next day is fresh`, async () => {
    await withArea();
    for (let i = 0; i < AREA_MESSAGE_DAILY_LIMIT; i++) {
      const r = await send();
      expect(r.ok && r.data).toEqual({ sent: true, leftToday: AREA_MESSAGE_DAILY_LIMIT - i - 1 });
    }
    const refused = await send();
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining(`每人每天最多给责任区党员留言 ${AREA_MESSAGE_DAILY_LIMIT} 条`),
    });
    expect(await received()).toBe(AREA_MESSAGE_DAILY_LIMIT);
    h.clock.advance(DAY);
    expect((await send()).ok).toBe(true);
    expect(await received()).toBe(AREA_MESSAGE_DAILY_LIMIT + 1);
  });

  it(`race: ${AREA_MESSAGE_DAILY_LIMIT + 4} messages at once — exactly ${AREA_MESSAGE_DAILY_LIMIT} accepted`, async () => {
    await withArea();
    const results = await h.interleaved(() =>
      Promise.all(Array.from({ length: AREA_MESSAGE_DAILY_LIMIT + 4 }, (_, i) => send(`第${i + 1}条留言`))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(AREA_MESSAGE_DAILY_LIMIT);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(
      Array(4).fill('RATE_LIMITED'),
    );
    expect(await received()).toBe(AREA_MESSAGE_DAILY_LIMIT);
  });
});

describe('request budgets (≤ 4 sequential database requests)', () => {
  it('appoint, removeMember, setPointsRule, searchMembers, messageAreaMember; grantRole unchanged', async () => {
    const b = await branchWithMembers();
    await h.call(SEC, 'branch', 'setArea', { branchId: b._id, openid: 'pm-2', buildings: ['3栋'] });
    await meeting(b._id, DAY);
    await meeting(b._id, 2 * DAY);
    const metered = async (openid: string, fn: 'branch' | 'user', action: string, data: unknown) => {
      await h.rt.call('branch', { action: 'myBranch', data: {} }, openid); // warm-up (caller cached)
      const r = await h.rt.metered(fn, { action, data }, openid);
      expect(r.result.ok).toBe(true);
      return { action, depth: r.depth, log: r.depth > 4 ? r.log : [] };
    };
    const rows = [
      await metered(SEC, 'branch', 'appoint', { branchId: b._id, committee: ['pm-1', 'pm-2'] }),
      await metered(WORKER, 'branch', 'appoint', { branchId: b._id, secretary: 'pm-1' }),
      await metered(WORKER, 'branch', 'removeMember', { branchId: b._id, openid: 'pm-3' }),
      await metered(WORKER, 'branch', 'setPointsRule', {
        branchId: b._id,
        perAttendance: 1,
        perServiceHour: 1,
        perRequest: 1,
      }),
      await metered(WORKER, 'branch', 'searchMembers', { communityId: XFL, branchId: b._id, q: '王' }),
      await metered(WORKER, 'branch', 'searchMembers', { communityId: XFL, q: '1111' }),
      await metered(RESIDENT, 'branch', 'messageAreaMember', {
        communityId: XFL,
        building: '3栋',
        text: '楼道灯坏了',
      }),
    ];
    expect(rows.filter((r) => r.depth > 4)).toEqual([]);
    // user.grantRole (not a branch action) writes the 党员名录 entry without another round trip:
    // a member grant is as deep as any other grant
    const other = await metered(WORKER, 'user', 'grantRole', {
      openid: RESIDENT,
      role: 'volunteer',
      communityId: XFL,
    });
    const asMember = await metered(WORKER, 'user', 'grantRole', {
      openid: RESIDENT,
      role: 'member',
      communityId: XFL,
    });
    expect(asMember.depth).toBe(other.depth);
  });
});
