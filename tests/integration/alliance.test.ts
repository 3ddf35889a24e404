import sharp from 'sharp';
import { seedDemoAlliance } from '../../tools/runtime/seed';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { MemberReport, Project, ProjectClaim, User } from '../../types/domain';

const WORKER = 'demo-worker'; // worker of community-xingfuli
const ADMIN = 'demo-admin';
const UNIT = 'demo-unit'; // staff of unit-hospital (allied with xingfuli and heping)
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member'; // member of xingfuli
const XFL = 'community-xingfuli';
const HP = 'community-heping';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function doc<T>(coll: string, id: string): Promise<T | undefined> {
  const { data } = await h.rt.runtime.db.collection(coll).doc(id).get();
  return (data as T[])[0];
}
const count = async (coll: string, where: Record<string, unknown> = {}) =>
  ((await h.rt.runtime.db.collection(coll).where(where).count()) as { total: number }).total;

/** Make `openid` staff of `unitId` through a worker-issued invite. */
async function bindStaff(openid: string, unitId: string, asAdmin = false) {
  const invite = await h.call(ADMIN, 'alliance', 'issueInvite', { unitId, asAdmin });
  return h.call(openid, 'alliance', 'redeemInvite', { code: invite.code });
}

function publishProject(over: Record<string, unknown> = {}) {
  return h.call(WORKER, 'alliance', 'publishProject', {
    communityId: XFL,
    title: '老旧小区楼道照明改造',
    goal: '为 3 栋老楼更换楼道感应灯，解决老人夜间出行不便',
    tasks: ['勘察线路', '采购灯具', '安装调试'],
    wanted: '电工志愿者 4 人，资金约 5000 元',
    deadline: h.clock.now + 14 * DAY,
    maxClaims: 2,
    ...over,
  } as never);
}

const PLAN = '我院后勤科派 2 名电工，两周内完成 3 栋楼的灯具更换。';

describe('units and invites', () => {
  it('registers units for managed communities only, and lists them by community', async () => {
    const u = await h.call(WORKER, 'alliance', 'registerUnit', {
      name: '区供电公司',
      type: '企事业',
      address: '电力路 1 号',
      partyOrg: '区供电公司党委',
      contact: '0734-8000000',
      communityIds: [XFL],
    });
    expect(u).toMatchObject({ name: '区供电公司', communityIds: [XFL] });
    const other = await h.fail(WORKER, 'alliance', 'registerUnit', {
      name: '外区单位',
      type: '机关',
      address: '某地',
      partyOrg: '某党支部',
      contact: '1',
      communityIds: [HP],
    });
    expect(other).toEqual({ code: 'FORBIDDEN', message: '只能管理本社区的事务' });
    expect((await h.fail(RESIDENT, 'alliance', 'registerUnit', {})).code).toBe('INVALID_INPUT');
    const resident = await h.fail(RESIDENT, 'alliance', 'registerUnit', {
      name: '某单位',
      type: '机关',
      address: '某地',
      partyOrg: '某党支部',
      contact: '1',
      communityIds: [XFL],
    });
    expect(resident.code).toBe('FORBIDDEN');
    const bad = await h.fail(WORKER, 'alliance', 'registerUnit', {
      name: '区供电公司',
      type: '外企',
      address: '电力路',
      partyOrg: '党委',
      contact: '1',
      communityIds: [XFL],
    });
    expect(bad.fields).toMatchObject({ type: '请选择单位类型' });
    const { units } = await h.call(RESIDENT, 'alliance', 'listUnits', { communityId: XFL });
    expect(units.map((x) => x.name).sort()).toEqual(['区人民医院', '区供电公司', '智联科技有限公司'].sort());
    // Workers edit units of their community, but cannot move them into another community.
    const edited = await h.call(WORKER, 'alliance', 'updateUnit', {
      unitId: u._id,
      patch: { contact: '0734-8000001' },
    });
    expect(edited.contact).toBe('0734-8000001');
    expect(
      (await h.fail(WORKER, 'alliance', 'updateUnit', { unitId: u._id, patch: { communityIds: [XFL, HP] } }))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.fail(WORKER, 'alliance', 'updateUnit', { unitId: 'unit-school', patch: { contact: 'x' } }))
        .code,
    ).toBe('FORBIDDEN');
  });

  it('binds staff with a one-time code; used and expired codes are refused', async () => {
    const invite = await h.call(WORKER, 'alliance', 'issueInvite', { unitId: 'unit-tech', asAdmin: true });
    expect(invite.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(invite.expiresAt).toBe(h.clock.now + 7 * DAY);
    // Only a keyed hash is stored, never the code.
    const { data } = await h.rt.runtime.db.collection('unit_invites').where({}).get();
    expect(JSON.stringify(data)).not.toContain(invite.code);

    const mine = await h.call('tech-1', 'alliance', 'redeemInvite', { code: invite.code.toLowerCase() });
    expect(mine).toMatchObject({ unit: { _id: 'unit-tech' }, isAdmin: true });
    expect((await doc<User>('users', 'tech-1'))?.roles).toContainEqual({
      role: 'unitStaff',
      unitId: 'unit-tech',
    });

    const used = await h.fail('tech-2', 'alliance', 'redeemInvite', { code: invite.code });
    expect(used).toEqual({ code: 'CONFLICT', message: '邀请码已被使用，请向社区或单位管理员索取新的邀请码' });

    // The unit admin invites a colleague (not another admin); the code expires after 7 days.
    expect(
      (await h.fail('tech-1', 'alliance', 'issueInvite', { unitId: 'unit-tech', asAdmin: true })).code,
    ).toBe('FORBIDDEN');
    const staffCode = await h.call('tech-1', 'alliance', 'issueInvite', { unitId: 'unit-tech' });
    h.clock.advance(7 * DAY);
    const expired = await h.fail('tech-2', 'alliance', 'redeemInvite', { code: staffCode.code });
    expect(expired).toEqual({ code: 'CONFLICT', message: '邀请码已过期（有效期 7 天），请索取新的邀请码' });
    const fresh = await h.call('tech-1', 'alliance', 'issueInvite', { unitId: 'unit-tech' });
    h.clock.advance(7 * DAY - 1);
    const joined = await h.call('tech-2', 'alliance', 'redeemInvite', { code: fresh.code });
    expect(joined.isAdmin).toBe(false);
    expect(joined.colleagues.map((c) => [c.openid, c.isAdmin])).toEqual([
      ['tech-1', true],
      ['tech-2', false],
    ]);

    expect(await h.fail('tech-3', 'alliance', 'redeemInvite', { code: 'ZZZZ2222' })).toEqual({
      code: 'NOT_FOUND',
      message: '邀请码无效，请核对后重新输入',
    });
    expect((await h.fail('tech-3', 'alliance', 'redeemInvite', { code: 'short' })).code).toBe(
      'INVALID_INPUT',
    );
    // Staff of another unit cannot bind again; neither can a colleague re-use a code.
    const another = await h.call(ADMIN, 'alliance', 'issueInvite', { unitId: 'unit-school' });
    expect(await h.fail(UNIT, 'alliance', 'redeemInvite', { code: another.code })).toEqual({
      code: 'CONFLICT',
      message: '你已绑定其他驻区单位，请先由原单位解除绑定',
    });
    // That refusal did not use the code up.
    expect((await h.call('school-1', 'alliance', 'redeemInvite', { code: another.code })).unit._id).toBe(
      'unit-school',
    );
  });

  it('concurrent redemptions of one code: exactly one succeeds', async () => {
    const invite = await h.call(WORKER, 'alliance', 'issueInvite', { unitId: 'unit-tech' });
    const results = await h.interleaved(() =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          h.rt.call('alliance', { action: 'redeemInvite', data: { code: invite.code } }, `racer-${i}`),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(
      await count('users', {
        roles: h.rt.runtime.db.command.elemMatch({ role: 'unitStaff', unitId: 'unit-tech' }),
      }),
    ).toBe(1);
  });

  it('who may issue codes and remove staff', async () => {
    // A worker of a community the unit is not allied with, and staff who are not unit admins: no.
    expect((await h.fail(WORKER, 'alliance', 'issueInvite', { unitId: 'unit-school' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(UNIT, 'alliance', 'issueInvite', { unitId: 'unit-hospital' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(RESIDENT, 'alliance', 'myUnit', {})).code).toBe('FORBIDDEN');

    await bindStaff('hosp-admin', 'unit-hospital', true);
    await bindStaff('hosp-2', 'unit-hospital');
    const team = await h.call(UNIT, 'alliance', 'myUnit', {});
    expect(team.colleagues.map((c) => c.openid).sort()).toEqual(['demo-unit', 'hosp-2', 'hosp-admin']);
    expect(team.isAdmin).toBe(false);
    // Staff of unit A cannot manage unit B's staff, even as unit A's admin.
    await bindStaff('tech-admin', 'unit-tech', true);
    expect(
      (await h.fail('tech-admin', 'alliance', 'removeStaff', { unitId: 'unit-hospital', openid: 'hosp-2' }))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.fail(UNIT, 'alliance', 'removeStaff', { unitId: 'unit-hospital', openid: 'hosp-2' })).code,
    ).toBe('FORBIDDEN');
    const after = await h.call('hosp-admin', 'alliance', 'removeStaff', {
      unitId: 'unit-hospital',
      openid: 'hosp-2',
    });
    expect(after.colleagues.map((c) => c.openid)).not.toContain('hosp-2');
    expect((await h.fail('hosp-2', 'alliance', 'myUnit', {})).code).toBe('FORBIDDEN');
    expect(
      (await h.fail('hosp-admin', 'alliance', 'removeStaff', { unitId: 'unit-hospital', openid: RESIDENT }))
        .code,
    ).toBe('NOT_FOUND');
    // A worker of an allied community removes the unit admin; the admin list follows.
    await h.call(WORKER, 'alliance', 'removeStaff', { unitId: 'unit-hospital', openid: 'hosp-admin' });
    expect((await doc<{ adminOpenids: string[] }>('units', 'unit-hospital'))?.adminOpenids).toEqual([]);
  });
});

describe('needs and resources', () => {
  it('workers publish needs; staff offer resources for their own unit; requests are answered by that unit', async () => {
    const need = await h.call(WORKER, 'alliance', 'publishNeed', {
      communityId: XFL,
      title: '老年人助餐',
      description: '独居老人中午吃饭难，需要助餐点和送餐志愿者',
    });
    expect(need).toMatchObject({ status: 'open', source: 'worker', category: '其他' });
    expect(
      (
        await h.fail(RESIDENT, 'alliance', 'publishNeed', {
          communityId: XFL,
          title: '某需求',
          description: 'x',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await h.fail(WORKER, 'alliance', 'publishNeed', {
          communityId: HP,
          title: '某需求',
          description: 'x',
        })
      ).code,
    ).toBe('FORBIDDEN');
    const needs = await h.call(RESIDENT, 'alliance', 'listNeeds', { communityId: XFL });
    expect(needs.items.map((n) => n.title)).toEqual(['老年人助餐']);

    const venue = await h.call(UNIT, 'alliance', 'offerResource', {
      kind: 'venue',
      title: '医院报告厅',
      description: '可用于健康讲座',
      capacity: '可容纳 120 人',
      availability: '周末 9:00–17:00',
    });
    expect(venue).toMatchObject({ unitId: 'unit-hospital', unitName: '区人民医院', communityIds: [XFL, HP] });
    expect(
      (await h.fail(WORKER, 'alliance', 'offerResource', { kind: 'funds', title: '资金', description: 'x' }))
        .code,
    ).toBe('FORBIDDEN');
    const listed = await h.call(RESIDENT, 'alliance', 'listResources', { communityId: XFL, kind: 'venue' });
    expect(listed.items.map((r) => r._id)).toEqual([venue._id]);
    expect((await h.call(RESIDENT, 'alliance', 'listResources', { kind: 'funds' })).items).toEqual([]);

    const req = await h.call(WORKER, 'alliance', 'requestResource', {
      resourceId: venue._id,
      communityId: XFL,
      note: '12 月 5 日上午办健康讲座',
    });
    expect(req.status).toBe('pending');
    expect(
      (
        await h.fail(WORKER, 'alliance', 'requestResource', {
          resourceId: venue._id,
          communityId: XFL,
          note: '再申请一次',
        })
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await h.fail(RESIDENT, 'alliance', 'requestResource', {
          resourceId: venue._id,
          communityId: XFL,
          note: '我要用',
        })
      ).code,
    ).toBe('FORBIDDEN');
    // Staff of another unit cannot answer; the hospital's staff can, once.
    await bindStaff('tech-1', 'unit-tech');
    expect(
      (await h.fail('tech-1', 'alliance', 'answerResourceRequest', { requestId: req._id, accept: true }))
        .code,
    ).toBe('FORBIDDEN');
    expect((await h.fail('tech-1', 'alliance', 'withdrawResource', { resourceId: venue._id })).code).toBe(
      'FORBIDDEN',
    );
    const answered = await h.call(UNIT, 'alliance', 'answerResourceRequest', {
      requestId: req._id,
      accept: true,
      note: '已预留报告厅',
    });
    expect(answered).toMatchObject({ status: 'accepted', answerNote: '已预留报告厅' });
    expect(
      (await h.fail(UNIT, 'alliance', 'answerResourceRequest', { requestId: req._id, accept: false }))
        .message,
    ).toBe('该申请已答复');
    expect((await h.call(UNIT, 'alliance', 'resourceRequests', {})).items.map((r) => r._id)).toEqual([
      req._id,
    ]);
    expect((await h.call(WORKER, 'alliance', 'resourceRequests', {})).items).toHaveLength(1);
    expect((await h.fail('tech-1', 'alliance', 'resourceRequests', { unitId: 'unit-hospital' })).code).toBe(
      'FORBIDDEN',
    );
    await h.call(UNIT, 'alliance', 'withdrawResource', { resourceId: venue._id });
    expect((await h.call(RESIDENT, 'alliance', 'listResources', {})).items).toEqual([]);
  });
});

describe('projects', () => {
  it('runs publish → claim → review (notifying the unit staff) → progress → milestone → complete → rate', async () => {
    const need = await h.call(WORKER, 'alliance', 'publishNeed', {
      communityId: XFL,
      title: '楼道照明',
      description: '3 栋老楼楼道灯坏了',
    });
    const p = await publishProject({ needIds: [need._id] });
    expect(p).toMatchObject({
      phase: 'claiming',
      activeClaims: 0,
      needs: [{ _id: need._id, title: '楼道照明' }],
    });
    expect(
      (await h.call(RESIDENT, 'alliance', 'listNeeds', { communityId: XFL, status: 'inProject' })).total,
    ).toBe(1);
    expect((await h.fail(RESIDENT, 'alliance', 'publishProject', {})).code).toBe('INVALID_INPUT');
    expect(
      (
        await h.fail(RESIDENT, 'alliance', 'publishProject', {
          communityId: XFL,
          title: '某项目',
          goal: '某目标',
          tasks: ['a'],
          deadline: h.clock.now + DAY,
          maxClaims: 1,
        })
      ).code,
    ).toBe('FORBIDDEN');

    await bindStaff('hosp-2', 'unit-hospital');
    const claimed = await h.call(UNIT, 'alliance', 'claimProject', { projectId: p._id, plan: PLAN });
    expect(claimed.claims).toEqual([
      expect.objectContaining({ unitId: 'unit-hospital', status: 'pending', plan: PLAN }),
    ]);
    expect(claimed.can.claim).toBeUndefined();
    expect(await h.fail('hosp-2', 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).toEqual({
      code: 'CONFLICT',
      message: '本单位已认领该项目',
    });
    // unit-school is not allied with xingfuli.
    await bindStaff('school-1', 'unit-school');
    expect(
      (await h.fail('school-1', 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).code,
    ).toBe('FORBIDDEN');
    expect((await h.fail(RESIDENT, 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).code).toBe(
      'FORBIDDEN',
    );
    // Progress before approval is refused.
    expect((await h.fail(UNIT, 'alliance', 'postProgress', { projectId: p._id, text: '已勘察' })).code).toBe(
      'FORBIDDEN',
    );

    const workerView = await h.call(WORKER, 'alliance', 'projectDetail', { projectId: p._id });
    expect(workerView.can).toMatchObject({ review: true, milestone: true });
    expect(
      (
        await h.fail(WORKER, 'alliance', 'reviewClaim', {
          projectId: p._id,
          unitId: 'unit-hospital',
          approve: false,
        })
      ).fields,
    ).toEqual({ reason: '请填写不通过的理由' });
    expect(
      (
        await h.fail(UNIT, 'alliance', 'reviewClaim', {
          projectId: p._id,
          unitId: 'unit-hospital',
          approve: true,
        })
      ).code,
    ).toBe('FORBIDDEN');
    const reviewed = await h.call(WORKER, 'alliance', 'reviewClaim', {
      projectId: p._id,
      unitId: 'unit-hospital',
      approve: true,
    });
    expect(reviewed).toMatchObject({ approvedClaims: 1, activeClaims: 1 });
    for (const staff of [UNIT, 'hosp-2']) {
      const inbox = await h.call(staff, 'notify', 'list', {});
      expect(inbox.items).toEqual([
        expect.objectContaining({
          kind: 'claimReviewed',
          title: '项目认领已通过',
          page: `packages/alliance/project?id=${p._id}`,
        }),
      ]);
    }
    expect((await h.call(RESIDENT, 'notify', 'list', {})).items).toEqual([]);

    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const { fileId } = await h.rt.files.save(png, UNIT);
    const { fileId: othersFile } = await h.rt.files.save(png, RESIDENT);
    expect(
      (
        await h.fail(UNIT, 'alliance', 'postProgress', {
          projectId: p._id,
          text: '已勘察线路',
          photos: [othersFile],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    const progressed = await h.call(UNIT, 'alliance', 'postProgress', {
      projectId: p._id,
      text: '已勘察线路，灯具已下单',
      photos: [fileId],
    });
    expect(progressed.updates).toEqual([
      expect.objectContaining({ kind: 'progress', unitName: '区人民医院', photoUrls: [expect.any(String)] }),
    ]);
    expect(JSON.stringify(progressed.updates)).not.toContain(UNIT); // no openids in views
    expect(
      (await h.fail('tech-x', 'alliance', 'postProgress', { projectId: p._id, text: '冒充' })).code,
    ).toBe('FORBIDDEN');
    await bindStaff('tech-1', 'unit-tech');
    expect(
      (await h.fail('tech-1', 'alliance', 'postProgress', { projectId: p._id, text: '冒充进展' })).code,
    ).toBe('FORBIDDEN');

    await h.call(WORKER, 'alliance', 'markMilestone', { projectId: p._id, text: '1 号楼完工' });
    expect((await h.fail(UNIT, 'alliance', 'markMilestone', { projectId: p._id, text: '完工' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(RESIDENT, 'alliance', 'rateProject', { projectId: p._id, stars: 5 })).message).toBe(
      '项目完成后才能评价',
    );
    const done = await h.call(WORKER, 'alliance', 'completeProject', {
      projectId: p._id,
      summary: '3 栋楼全部完工',
    });
    expect(done).toMatchObject({ status: 'completed', phase: 'completed' });
    expect(done.updates.map((u) => u.kind)).toEqual(['progress', 'milestone', 'completed']);
    expect(
      (await h.fail(UNIT, 'alliance', 'postProgress', { projectId: p._id, text: '补充进展' })).message,
    ).toBe('项目已完成');

    await h.call(WORKER, 'alliance', 'rateProject', { projectId: p._id, stars: 5, comment: '效果很好' });
    const rated = await h.call(RESIDENT, 'alliance', 'rateProject', { projectId: p._id, stars: 4 });
    expect(rated).toMatchObject({ avgRating: 4.5, ratingCount: 2, myRating: 4 });
    expect(rated.can.rate).toBeUndefined();
    expect(await h.fail(RESIDENT, 'alliance', 'rateProject', { projectId: p._id, stars: 1 })).toEqual({
      code: 'CONFLICT',
      message: '你已评价过该项目',
    });
    expect((await h.fail(UNIT, 'alliance', 'rateProject', { projectId: p._id, stars: 5 })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(MEMBER, 'alliance', 'rateProject', { projectId: p._id, stars: 6 })).code).toBe(
      'INVALID_INPUT',
    );

    const record = await h.call(UNIT, 'alliance', 'unitRecord', { unitId: 'unit-hospital' });
    expect(record).toMatchObject({ claims: 1, approvedClaims: 1, completedProjects: 1, avgRating: 4.5 });
    expect((await h.fail('tech-1', 'alliance', 'unitRecord', { unitId: 'unit-hospital' })).code).toBe(
      'FORBIDDEN',
    );
  });

  it('a declined claim frees its place and tells the unit why', async () => {
    const p = await publishProject({ maxClaims: 1 });
    await h.call(UNIT, 'alliance', 'claimProject', { projectId: p._id, plan: PLAN });
    await bindStaff('tech-1', 'unit-tech');
    expect(await h.fail('tech-1', 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).toEqual({
      code: 'CONFLICT',
      message: '认领名额已满（最多 1 个单位）',
    });
    const declined = await h.call(WORKER, 'alliance', 'reviewClaim', {
      projectId: p._id,
      unitId: 'unit-hospital',
      approve: false,
      reason: '方案缺少预算说明',
    });
    expect(declined).toMatchObject({ activeClaims: 0, phase: 'claiming' });
    const [msg] = (await h.call(UNIT, 'notify', 'list', {})).items;
    expect(msg).toMatchObject({ title: '项目认领未通过' });
    expect(msg?.body).toContain('方案缺少预算说明');
    expect((await h.fail(UNIT, 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).message).toBe(
      '本单位的认领未通过，不能再次认领',
    );
    expect(
      (await h.call('tech-1', 'alliance', 'claimProject', { projectId: p._id, plan: PLAN })).activeClaims,
    ).toBe(1);
    expect(
      (
        await h.fail(WORKER, 'alliance', 'reviewClaim', {
          projectId: p._id,
          unitId: 'unit-hospital',
          approve: true,
        })
      ).message,
    ).toBe('该认领已被退回');
    expect(
      (await h.fail(WORKER, 'alliance', 'completeProject', { projectId: p._id, summary: '完成了' })).message,
    ).toBe('还没有审核通过的认领单位，不能完成项目');
    // After the deadline nobody claims.
    const late = await publishProject({ deadline: h.clock.now + HOUR });
    h.clock.advance(2 * HOUR);
    expect(
      (await h.fail(UNIT, 'alliance', 'claimProject', { projectId: late._id, plan: PLAN })).message,
    ).toBe('项目已过认领截止时间');
    expect(
      (await h.call(RESIDENT, 'alliance', 'listProjects', { communityId: XFL, phase: 'closed' })).items.map(
        (x) => x._id,
      ),
    ).toEqual([late._id]);
    expect(
      (await h.call(RESIDENT, 'alliance', 'listProjects', { unitId: 'unit-tech' })).items.map((x) => x._id),
    ).toEqual([p._id]);
  });

  it('20 units claiming at once for 3 places: exactly 3 claims exist', async () => {
    const p = await publishProject({ maxClaims: 3 });
    const unitIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const u = await h.call(WORKER, 'alliance', 'registerUnit', {
        name: `共建单位${i}`,
        type: '企事业',
        address: '某路',
        partyOrg: '某党支部',
        contact: '1',
        communityIds: [XFL],
      });
      await bindStaff(`staff-${i}`, u._id);
      unitIds.push(u._id);
    }
    const results = await h.interleaved(() =>
      Promise.all(
        unitIds.map((_, i) =>
          h.rt.call(
            'alliance',
            { action: 'claimProject', data: { projectId: p._id, plan: PLAN } },
            `staff-${i}`,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(17);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await count('project_claims', { projectId: p._id })).toBe(3);
    expect((await doc<Project>('projects', p._id))?.activeClaims).toBe(3);
  });

  it('one unit claiming twice at once gets one claim', async () => {
    const p = await publishProject({ maxClaims: 5 });
    await bindStaff('hosp-2', 'unit-hospital');
    const results = await h.interleaved(() =>
      Promise.all(
        [UNIT, 'hosp-2', UNIT, 'hosp-2'].map((o) =>
          h.rt.call('alliance', { action: 'claimProject', data: { projectId: p._id, plan: PLAN } }, o),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await doc<ProjectClaim>('project_claims', `${p._id}_unit-hospital`))?.status).toBe('pending');
    expect((await doc<Project>('projects', p._id))?.activeClaims).toBe(1);
  });
});

describe('in-service members report', () => {
  const report = (by = MEMBER, communityId = XFL) =>
    h.call(by, 'alliance', 'reportToCommunity', {
      communityId,
      employerUnitId: 'unit-hospital',
      partyOrg: '区人民医院第二党支部',
    });

  it('allows one active report at a time; moving needs a withdrawal', async () => {
    const r = await report();
    expect(r).toMatchObject({ status: 'pending', employerName: '区人民医院', communityName: '幸福里社区' });
    expect(
      await h.fail(MEMBER, 'alliance', 'reportToCommunity', {
        communityId: HP,
        employerName: '区人民医院',
        partyOrg: '某党支部',
      }),
    ).toEqual({
      code: 'CONFLICT',
      message: '你到幸福里社区的报到正在审核中，请先撤回再重新报到',
    });
    expect(
      (
        await h.fail(RESIDENT, 'alliance', 'reportToCommunity', {
          communityId: XFL,
          employerName: '某公司',
          partyOrg: '某党支部',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.fail(MEMBER, 'alliance', 'reportToCommunity', { communityId: XFL, partyOrg: '某党支部' }))
        .fields,
    ).toEqual({ employerName: '请选择或填写工作单位' });

    // Review: only workers of that community.
    expect((await h.fail(UNIT, 'alliance', 'reviewReport', { reportId: r._id, confirm: true })).code).toBe(
      'FORBIDDEN',
    );
    const confirmed = await h.call(WORKER, 'alliance', 'reviewReport', { reportId: r._id, confirm: true });
    expect(confirmed.status).toBe('confirmed');
    expect((await h.call(MEMBER, 'notify', 'list', {})).items[0]).toMatchObject({
      kind: 'reportReviewed',
      title: '报到已确认',
    });
    expect(
      (await h.fail(WORKER, 'alliance', 'reviewReport', { reportId: r._id, confirm: false, reason: '重复' }))
        .message,
    ).toBe('该报到已审核');
    expect(
      (
        await h.fail(MEMBER, 'alliance', 'reportToCommunity', {
          communityId: HP,
          employerName: '区人民医院',
          partyOrg: '某党支部',
        })
      ).message,
    ).toBe('你已在幸福里社区报到，如需转到其他社区，请先撤回原报到');
    expect((await h.fail(UNIT, 'alliance', 'withdrawReport', { reportId: r._id })).code).toBe('FORBIDDEN');
    await h.call(MEMBER, 'alliance', 'takePost', { post: '楼道长' });
    const withdrawn = await h.call(MEMBER, 'alliance', 'withdrawReport', { reportId: r._id });
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.posts[0]?.until).toBe(h.clock.now);
    h.clock.advance(60_000);
    const moved = await report(MEMBER, HP);
    expect(moved.communityId).toBe(HP);
    const mine = await h.call(MEMBER, 'alliance', 'myReport', {});
    expect(mine.active?._id).toBe(moved._id);
    expect(mine.history.map((x) => x.status)).toEqual(['pending', 'withdrawn']);
    // A rejected report frees the member to report again.
    expect(
      (await h.fail(WORKER, 'alliance', 'reviewReport', { reportId: moved._id, confirm: true })).code,
    ).toBe('FORBIDDEN');
    await h.call(ADMIN, 'alliance', 'reviewReport', {
      reportId: moved._id,
      confirm: false,
      reason: '不在本社区居住',
    });
    expect((await report(MEMBER, XFL)).status).toBe('pending');
  });

  it('concurrent reports by one member: exactly one is created', async () => {
    const results = await h.interleaved(() =>
      Promise.all(
        [XFL, HP, XFL, HP, XFL].map((communityId) =>
          h.rt.call(
            'alliance',
            {
              action: 'reportToCommunity',
              data: { communityId, employerName: '某公司', partyOrg: '某党支部' },
            },
            MEMBER,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await count('member_reports', { openid: MEMBER })).toBe(1);
  });

  it('service posts: configurable, confirmed reporters take and leave them', async () => {
    const r = await report();
    expect((await h.fail(MEMBER, 'alliance', 'takePost', { post: '楼道长' })).message).toBe(
      '报到经社区确认后才能认领服务岗位',
    );
    await h.call(WORKER, 'alliance', 'reviewReport', { reportId: r._id, confirm: true });
    expect((await h.fail(MEMBER, 'alliance', 'takePost', { post: '不存在的岗' })).message).toBe(
      '该社区没有这个服务岗位',
    );
    await h.call(MEMBER, 'alliance', 'takePost', { post: '楼道长' });
    expect((await h.fail(MEMBER, 'alliance', 'takePost', { post: '楼道长' })).message).toBe(
      '你已在这个岗位上',
    );
    const posts = await h.call(MEMBER, 'alliance', 'servicePosts', { communityId: XFL });
    expect(posts.posts.find((p) => p.name === '楼道长')).toEqual({ name: '楼道长', holders: 1, mine: true });
    expect(posts.yearlyTargetHours).toBe(50);
    await h.call(MEMBER, 'alliance', 'leavePost', { post: '楼道长' });
    expect((await h.fail(MEMBER, 'alliance', 'leavePost', { post: '楼道长' })).message).toBe(
      '你不在这个岗位上',
    );
    // A post left is no longer held (holders are counted in the database).
    expect(
      (await h.call(MEMBER, 'alliance', 'servicePosts', { communityId: XFL })).posts.find(
        (p) => p.name === '楼道长',
      ),
    ).toEqual({ name: '楼道长', holders: 0, mine: false });

    expect(
      (await h.fail(UNIT, 'alliance', 'configureCommunity', { communityId: XFL, yearlyTargetHours: 30 }))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      await h.call(WORKER, 'alliance', 'configureCommunity', {
        communityId: XFL,
        servicePosts: ['楼道长', '垃圾分类督导'],
        yearlyTargetHours: 40,
      }),
    ).toEqual({ servicePosts: ['楼道长', '垃圾分类督导'], yearlyTargetHours: 40 });
    await h.call(MEMBER, 'alliance', 'takePost', { post: '垃圾分类督导' });
    const list = await h.call(WORKER, 'alliance', 'listReports', { status: 'confirmed' });
    expect(list.items).toEqual([expect.objectContaining({ nickName: '李建国', openid: MEMBER })]);
    expect((await h.fail(UNIT, 'alliance', 'listReports', {})).code).toBe('FORBIDDEN');
    const stored = await doc<MemberReport>('member_reports', r._id);
    expect(stored?.posts.map((p) => [p.name, p.until === undefined])).toEqual([
      ['楼道长', false],
      ['垃圾分类督导', true],
    ]);
  });
});

describe('records', () => {
  it('member record: hours from ended activities, posts, target; readable by self, community workers and employer staff', async () => {
    const r = await h.call(MEMBER, 'alliance', 'reportToCommunity', {
      communityId: XFL,
      employerUnitId: 'unit-hospital',
      partyOrg: '区人民医院第二党支部',
    });
    await h.call(WORKER, 'alliance', 'reviewReport', { reportId: r._id, confirm: true });
    await h.call(MEMBER, 'alliance', 'takePost', { post: '政策宣讲' });
    // Two activities the member signs up for (3 h and 2 h), one of which the member then misses
    // by cancelling; only ended ones count.
    const publish = (title: string, hours: number, startIn: number) =>
      h.call(WORKER, 'activity', 'publish', {
        communityId: XFL,
        type: 'volunteer',
        title,
        place: { name: '幸福里党群服务中心', lat: 28.19, lng: 112.98 },
        startAt: h.clock.now + startIn,
        endAt: h.clock.now + startIn + 2 * HOUR,
        signUpStartAt: h.clock.now - HOUR,
        signUpEndAt: h.clock.now + startIn - HOUR,
        capacity: 10,
        hours,
        hostUnitIds: ['unit-hospital'],
      });
    const a1 = await publish('义诊服务', 3, 2 * HOUR);
    const a2 = await publish('楼道清洁', 2, 3 * HOUR);
    const a3 = await publish('读书会', 1.5, 30 * DAY);
    for (const a of [a1, a2, a3]) await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'cancelSignUp', { activityId: a2._id });
    h.clock.advance(6 * HOUR);

    const rec = await h.call(MEMBER, 'alliance', 'memberRecord', {});
    expect(rec).toMatchObject({ year: 2026, hours: 3, targetHours: 50, progress: 0.06, services: 2 });
    expect(rec.activities.map((x) => x.title)).toEqual(['义诊服务']);
    expect(rec.posts).toEqual([expect.objectContaining({ name: '政策宣讲', communityId: XFL })]);
    expect((await h.call(WORKER, 'alliance', 'memberRecord', { openid: MEMBER })).hours).toBe(3);
    expect((await h.call(UNIT, 'alliance', 'memberRecord', { openid: MEMBER })).hours).toBe(3);
    expect((await h.fail(RESIDENT, 'alliance', 'memberRecord', { openid: MEMBER })).code).toBe('FORBIDDEN');
    expect((await h.call(MEMBER, 'alliance', 'memberRecord', { year: 2025 })).hours).toBe(0);

    const unit = await h.call(WORKER, 'alliance', 'unitRecord', { unitId: 'unit-hospital' });
    // The three above plus the demo data's 义诊 (act-clinic), all hosted with the hospital.
    expect(unit).toMatchObject({ membersReported: 1, memberHours: 3, activitiesCoHosted: 4 });
    const ranking = await h.call(WORKER, 'alliance', 'rankUnits', {});
    expect(ranking.items.map((i) => [i.unitName, i.rank])).toEqual([
      ['区人民医院', 1],
      ['智联科技有限公司', 2],
    ]);
    expect(ranking.items[0]?.score).toBe(3 * 4 + 2 * 1 + 0.5 * 3);
    expect((await h.fail(UNIT, 'alliance', 'rankUnits', { communityId: XFL })).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'alliance', 'rankUnits', { communityId: HP })).code).toBe('FORBIDDEN');
  });
});

describe('demo alliance data', () => {
  it('is consistent with the rules the actions apply', async () => {
    await seedDemoAlliance(h.rt);
    const list = await h.call(RESIDENT, 'alliance', 'listProjects', { communityId: XFL });
    expect(Object.fromEntries(list.items.map((p) => [p._id, p.phase]))).toEqual({
      'project-homework': 'claiming',
      'project-health': 'full',
      'project-lights': 'completed',
    });
    expect(
      (await h.call(UNIT, 'alliance', 'projectDetail', { projectId: 'project-health' })).can,
    ).toMatchObject({
      progress: true,
    });
    expect((await h.call(UNIT, 'alliance', 'myUnit', {})).isAdmin).toBe(true);
    expect((await h.call(MEMBER, 'alliance', 'myReport', {})).active?.posts[0]?.name).toBe('楼道长');
    const tech = await h.call(WORKER, 'alliance', 'unitRecord', { unitId: 'unit-tech' });
    expect(tech).toMatchObject({ completedProjects: 1, avgRating: 4.5 });
    const hospital = await h.call(WORKER, 'alliance', 'unitRecord', { unitId: 'unit-hospital' });
    expect(hospital).toMatchObject({ resourcesProvided: 1, membersReported: 1, approvedClaims: 1 });
  });
});
