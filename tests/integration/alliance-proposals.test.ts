import { BOM } from '../../cloudfunctions/domain/alliance-csv';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Activity } from '../../types/domain';

const WORKER = 'demo-worker'; // worker of community-xingfuli
const ADMIN = 'demo-admin';
const UNIT = 'demo-unit'; // staff of unit-hospital (allied with xingfuli and heping)
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member'; // member of xingfuli, 李建国
const XFL = 'community-xingfuli';
const HP = 'community-heping';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const count = async (coll: string, where: Record<string, unknown> = {}) =>
  ((await h.rt.runtime.db.collection(coll).where(where).count()) as { total: number }).total;

async function bindStaff(openid: string, unitId: string) {
  const invite = await h.call(ADMIN, 'alliance', 'issueInvite', { unitId });
  return h.call(openid, 'alliance', 'redeemInvite', { code: invite.code });
}

function proposal(over: Record<string, unknown> = {}) {
  return {
    communityId: XFL,
    title: '健康知识进社区',
    description: '医院专家讲解冬季心脑血管疾病预防',
    placeName: '幸福里党群服务中心',
    startAt: h.clock.now + 3 * DAY,
    endAt: h.clock.now + 3 * DAY + 2 * HOUR,
    capacity: 60,
    ...over,
  } as never;
}

describe('alliance activity proposals', () => {
  it('unit staff propose for an allied community only, with their own venues', async () => {
    const p = await h.call(UNIT, 'alliance', 'proposeActivity', proposal());
    expect(p).toMatchObject({
      status: 'pending',
      type: 'alliance',
      unitId: 'unit-hospital',
      unitName: '区人民医院',
      communityName: '幸福里社区',
    });
    expect(p).not.toHaveProperty('proposedBy');

    // unit-school is allied with heping only; staff of unit A cannot propose for unit B's community.
    await bindStaff('school-1', 'unit-school');
    expect(await h.fail('school-1', 'alliance', 'proposeActivity', proposal())).toEqual({
      code: 'FORBIDDEN',
      message: '只能向本单位的共建社区提议活动',
    });
    expect((await h.fail(RESIDENT, 'alliance', 'proposeActivity', proposal())).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'alliance', 'proposeActivity', proposal())).code).toBe('FORBIDDEN');

    // Validation: strict schema, Chinese messages, the activity timing rules.
    const bad = await h.fail(UNIT, 'alliance', 'proposeActivity', proposal({ title: '讲', extra: 1 }));
    expect(bad.code).toBe('INVALID_INPUT');
    const past = await h.fail(
      UNIT,
      'alliance',
      'proposeActivity',
      proposal({ startAt: h.clock.now - HOUR, endAt: h.clock.now + HOUR }),
    );
    expect(past.fields).toMatchObject({ startAt: '开始时间须晚于现在' });
    const backwards = await h.fail(
      UNIT,
      'alliance',
      'proposeActivity',
      proposal({ endAt: h.clock.now + DAY }),
    );
    expect(backwards.fields).toEqual({ endAt: '结束时间须晚于开始时间' });

    // Venues: the unit's own, active venue resources.
    const hall = await h.call(UNIT, 'alliance', 'offerResource', {
      kind: 'venue',
      title: '医院报告厅',
      description: '可容纳 120 人',
    });
    const doctors = await h.call(UNIT, 'alliance', 'offerResource', {
      kind: 'expertise',
      title: '义诊医生',
      description: '全科医生 4 名',
    });
    await bindStaff('tech-1', 'unit-tech');
    const techRoom = await h.call('tech-1', 'alliance', 'offerResource', {
      kind: 'venue',
      title: '公司会议室',
      description: '40 人',
    });
    expect(
      (await h.fail(UNIT, 'alliance', 'proposeActivity', proposal({ venueResourceId: techRoom._id }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.fail(UNIT, 'alliance', 'proposeActivity', proposal({ venueResourceId: doctors._id }))).fields,
    ).toEqual({ venueResourceId: '请选择场地类资源' });
    h.clock.advance(60_000);
    const inHall = await h.call(UNIT, 'alliance', 'proposeActivity', proposal({ venueResourceId: hall._id }));
    expect(inHall).toMatchObject({ venueResourceId: hall._id, venueTitle: '医院报告厅' });

    // Lists: staff see their unit's; workers their community's; other units' staff neither.
    const mine = await h.call(UNIT, 'alliance', 'listProposals', {});
    expect(mine.items.map((x) => x._id)).toEqual([inHall._id, p._id]);
    expect((await h.call(WORKER, 'alliance', 'listProposals', { status: 'pending' })).total).toBe(2);
    expect((await h.fail('tech-1', 'alliance', 'listProposals', { unitId: 'unit-hospital' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.call('tech-1', 'alliance', 'listProposals', {})).items).toEqual([]);
    expect((await h.fail(WORKER, 'alliance', 'listProposals', { communityId: HP })).code).toBe('FORBIDDEN');
    expect((await h.fail(RESIDENT, 'alliance', 'listProposals', {})).code).toBe('FORBIDDEN');
  });

  it('approval publishes exactly one activity with the unit as host, visible in activity.list', async () => {
    const p = await h.call(UNIT, 'alliance', 'proposeActivity', proposal());
    expect(
      (await h.fail(RESIDENT, 'alliance', 'reviewProposal', { proposalId: p._id, approve: true })).code,
    ).toBe('FORBIDDEN');
    expect(
      (await h.fail(UNIT, 'alliance', 'reviewProposal', { proposalId: p._id, approve: true })).code,
    ).toBe('FORBIDDEN');
    const hp = await h.call(UNIT, 'alliance', 'proposeActivity', proposal({ communityId: HP }));
    expect(await h.fail(WORKER, 'alliance', 'reviewProposal', { proposalId: hp._id, approve: true })).toEqual(
      { code: 'FORBIDDEN', message: '只能审核本社区的活动提议' },
    );

    const before = await count('activities');
    // Several approvals at once: one succeeds, one activity exists.
    const results = await h.interleaved(() =>
      Promise.all(
        Array.from({ length: 5 }, () =>
          h.rt.call(
            'alliance',
            { action: 'reviewProposal', data: { proposalId: p._id, approve: true } },
            WORKER,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await count('activities')).toBe(before + 1);
    const approved = await h.call(UNIT, 'alliance', 'listProposals', { status: 'approved' });
    expect(approved.items).toEqual([expect.objectContaining({ _id: p._id, status: 'approved' })]);
    const activityId = approved.items[0]?.activityId as string;

    const listed = await h.call(RESIDENT, 'activity', 'list', { communityId: XFL, type: 'alliance' });
    expect(listed.items.filter((a) => a._id === activityId)).toEqual([
      expect.objectContaining({ title: '健康知识进社区', phase: 'open', capacity: 60 }),
    ]);
    const detail = await h.call(RESIDENT, 'activity', 'detail', { activityId });
    expect(detail.hostUnits).toEqual([{ _id: 'unit-hospital', name: '区人民医院' }]);
    expect(detail).toMatchObject({ createdBy: WORKER, signUpEndAt: p.startAt });
    const { data } = await h.rt.runtime.db.collection('activities').doc(activityId).get();
    expect((data as Activity[])[0]?.hostUnitIds).toEqual(['unit-hospital']);
    // Residents can sign up like for any activity; the unit record counts the co-hosted activity.
    expect((await h.call(RESIDENT, 'activity', 'signUp', { activityId })).status).toBe('confirmed');
    expect(
      (await h.call(UNIT, 'alliance', 'unitRecord', { unitId: 'unit-hospital' })).activitiesCoHosted,
    ).toBeGreaterThanOrEqual(1);

    expect(
      await h.fail(WORKER, 'alliance', 'reviewProposal', {
        proposalId: p._id,
        approve: false,
        reason: '重复',
      }),
    ).toEqual({ code: 'CONFLICT', message: '该提议已通过，活动已发布' });
  });

  it('declines need a reason, and a declined proposal cannot be approved later', async () => {
    const p = await h.call(UNIT, 'alliance', 'proposeActivity', proposal());
    expect(
      (await h.fail(WORKER, 'alliance', 'reviewProposal', { proposalId: p._id, approve: false })).fields,
    ).toEqual({ reason: '请填写不通过的理由' });
    const declined = await h.call(WORKER, 'alliance', 'reviewProposal', {
      proposalId: p._id,
      approve: false,
      reason: '当天社区已有安排',
    });
    expect(declined).toMatchObject({ status: 'declined', reason: '当天社区已有安排' });
    expect(declined.activityId).toBeUndefined();
    const before = await count('activities');
    expect(await h.fail(WORKER, 'alliance', 'reviewProposal', { proposalId: p._id, approve: true })).toEqual({
      code: 'CONFLICT',
      message: '该提议已婉拒，不能再审核',
    });
    expect(await count('activities')).toBe(before);
    expect(
      (await h.fail(WORKER, 'alliance', 'reviewProposal', { proposalId: 'nope', approve: true })).code,
    ).toBe('NOT_FOUND');
  });

  it('an approval after the proposed start is refused by the activity rules', async () => {
    const p = await h.call(UNIT, 'alliance', 'proposeActivity', proposal());
    h.clock.advance(4 * DAY);
    const late = await h.fail(WORKER, 'alliance', 'reviewProposal', { proposalId: p._id, approve: true });
    expect(late).toEqual({ code: 'CONFLICT', message: '提议的开始时间已过，请单位重新提议' });
    expect((await h.call(UNIT, 'alliance', 'listProposals', {})).items[0]?.status).toBe('pending');
  });
});

describe("a unit's members and the exported record", () => {
  async function reportedMember() {
    const r = await h.call(MEMBER, 'alliance', 'reportToCommunity', {
      communityId: XFL,
      employerUnitId: 'unit-hospital',
      partyOrg: '区人民医院第二党支部',
    });
    await h.call(WORKER, 'alliance', 'reviewReport', { reportId: r._id, confirm: true });
    await h.call(MEMBER, 'alliance', 'takePost', { post: '政策宣讲' });
    const a = await h.call(WORKER, 'activity', 'publish', {
      communityId: XFL,
      type: 'volunteer',
      title: '义诊服务, "冬季"专场',
      place: { name: '幸福里党群服务中心', lat: 28.19, lng: 112.98 },
      startAt: h.clock.now + 2 * HOUR,
      endAt: h.clock.now + 4 * HOUR,
      signUpStartAt: h.clock.now - HOUR,
      signUpEndAt: h.clock.now + HOUR,
      capacity: 10,
      hours: 3,
    });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    h.clock.advance(6 * HOUR);
  }

  it('unitMembers: staff of the unit and workers of an allied community; not other units', async () => {
    await reportedMember();
    const view = await h.call(UNIT, 'alliance', 'unitMembers', { unitId: 'unit-hospital' });
    expect(view).toMatchObject({ unitId: 'unit-hospital', unitName: '区人民医院', year: 2026 });
    expect(view.items).toEqual([
      expect.objectContaining({
        openid: MEMBER,
        nickName: '李建国',
        communityName: '幸福里社区',
        partyOrg: '区人民医院第二党支部',
        reportStatus: 'confirmed',
        hours: 3,
        targetHours: 50,
        progress: 0.06,
      }),
    ]);
    expect((await h.call(WORKER, 'alliance', 'unitMembers', { unitId: 'unit-hospital' })).items).toHaveLength(
      1,
    );
    expect(
      (await h.call(UNIT, 'alliance', 'unitMembers', { unitId: 'unit-hospital', year: 2025 })).items,
    ).toEqual([]);
    await bindStaff('tech-1', 'unit-tech');
    expect(await h.fail('tech-1', 'alliance', 'unitMembers', { unitId: 'unit-hospital' })).toEqual({
      code: 'FORBIDDEN',
      message: '只能查看本单位或本社区共建单位的报到党员',
    });
    expect((await h.call('tech-1', 'alliance', 'unitMembers', { unitId: 'unit-tech' })).items).toEqual([]);
    expect((await h.fail(RESIDENT, 'alliance', 'unitMembers', { unitId: 'unit-hospital' })).code).toBe(
      'FORBIDDEN',
    );
    // The worker is not allied with unit-school.
    expect((await h.fail(WORKER, 'alliance', 'unitMembers', { unitId: 'unit-school' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(UNIT, 'alliance', 'unitMembers', { unitId: 'nope' })).code).toBe('NOT_FOUND');
  });

  it('exportMemberRecord: CSV with BOM and a Chinese header, same access as memberRecord', async () => {
    await reportedMember();
    const out = await h.call(UNIT, 'alliance', 'exportMemberRecord', { openid: MEMBER });
    expect(out.fileName).toBe('李建国-2026年度服务记录.csv');
    expect(out.csv.startsWith(BOM)).toBe(true);
    const lines = out.csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      '"姓名","报到社区","工作单位","年度","服务次数","服务时长(小时)","年度目标(小时)","完成率","服务岗位"',
    );
    expect(lines[1]).toBe('"李建国","幸福里社区","区人民医院","2026","2","3","50","6%","政策宣讲"');
    expect(lines[3]).toBe('"日期","类型","内容","时长(小时)"');
    expect(lines.slice(4)).toEqual(
      expect.arrayContaining([expect.stringContaining('"志愿服务活动","义诊服务, ""冬季""专场","3"')]),
    );
    expect((await h.call(MEMBER, 'alliance', 'exportMemberRecord', {})).csv).toBe(out.csv);
    expect((await h.call(WORKER, 'alliance', 'exportMemberRecord', { openid: MEMBER })).csv).toBe(out.csv);
    expect((await h.fail(RESIDENT, 'alliance', 'exportMemberRecord', { openid: MEMBER })).code).toBe(
      'FORBIDDEN',
    );
    await bindStaff('tech-1', 'unit-tech');
    expect((await h.fail('tech-1', 'alliance', 'exportMemberRecord', { openid: MEMBER })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(UNIT, 'alliance', 'exportMemberRecord', { openid: 'nobody' })).code).toBe(
      'NOT_FOUND',
    );
  });
});
