import { createHarness, DAY, type Harness } from '../helpers/harness';
import type { AuditEntry, User, VolunteerRegistration } from '../../types/domain';
import {
  ADMIN,
  addOtherWorker,
  all,
  captureLogs,
  count,
  HP,
  ID_A,
  ID_B,
  ID_C,
  MEMBER,
  OTHER_WORKER,
  registration,
  RESIDENT,
  UNIT,
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const FULL_IDS = [ID_A, ID_B, ID_C];

describe('volunteer registration', () => {
  it('shows the consent text: who sees the data, why, how long, and the right to export and correct', async () => {
    const c = await h.call(RESIDENT, 'volunteer', 'consent', {});
    expect(c.version).toBe('2026-11');
    for (const phrase of ['社区工作者', '志愿服务记录与证明出具办法', '保存', '导出', '更正'])
      expect(c.text).toContain(phrase);
  });

  it('registers with an encrypted ID and phone, masked views, pending until reviewed', async () => {
    const view = await h.call(
      RESIDENT,
      'volunteer',
      'register',
      registration({ idNumber: ID_A.toLowerCase() }),
    );
    expect(view).toMatchObject({
      openid: RESIDENT,
      communityId: XFL,
      communityName: '幸福里社区',
      name: '张晓雨',
      status: 'pending',
      idMasked: '4301**********003X',
      phoneMasked: '138****5678',
      skills: ['急救'],
      rankingOptOut: false,
    });
    const stored = (await all<VolunteerRegistration>(h, 'volunteers', { _id: RESIDENT }))[0]!;
    expect(stored.idEncrypted).toMatch(/^v1\./);
    expect(stored.phoneEncrypted).toMatch(/^v1\./);
    expect(stored.birthDate).toBe('1985-06-12');
    expect(JSON.stringify(stored)).not.toContain('13812345678');
    expect(JSON.stringify(stored)).not.toContain(ID_A);
    expect(await count(h, 'volunteer_ids', { openid: RESIDENT })).toBe(1);
    expect((await h.call(RESIDENT, 'volunteer', 'myRegistration', {})).registration?.status).toBe('pending');
    expect((await h.call(MEMBER, 'volunteer', 'myRegistration', {})).registration).toBeNull();
  });

  it('refuses invalid ID numbers with a field message and stores nothing', async () => {
    const bad = ID_A.slice(0, 17) + (ID_A[17] === '1' ? '2' : '1');
    const e = await h.fail(RESIDENT, 'volunteer', 'register', registration({ idNumber: bad }));
    expect(e).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { idNumber: '身份证号码校验位不正确，请核对' },
    });
    const future = await h.fail(
      RESIDENT,
      'volunteer',
      'register',
      registration({ idNumber: '110101209901011234' }),
    );
    expect(future.code).toBe('INVALID_INPUT');
    expect(future.fields?.idNumber).toBeTruthy();
    expect((await h.fail(RESIDENT, 'volunteer', 'register', registration({ consent: false }))).code).toBe(
      'INVALID_INPUT',
    );
    expect((await h.fail(RESIDENT, 'volunteer', 'register', registration({ phone: '12345' }))).code).toBe(
      'INVALID_INPUT',
    );
    expect(
      (await h.fail(RESIDENT, 'volunteer', 'register', registration({ communityId: 'community-nowhere' })))
        .code,
    ).toBe('NOT_FOUND');
    expect(await count(h, 'volunteers')).toBe(0);
    expect(await count(h, 'volunteer_ids')).toBe(0);
  });

  it('one ID number belongs to one volunteer; parallel registrations of one ID: exactly one succeeds', async () => {
    const results = await h.interleaved(() =>
      Promise.all(
        [RESIDENT, MEMBER].map((o) =>
          h.rt.call('volunteer', { action: 'register', data: registration() }, o),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const failed = results.find((r) => !r.ok);
    expect(failed && !failed.ok && failed.error).toEqual({
      code: 'CONFLICT',
      message: '该身份证号码已登记为志愿者，如有疑问请联系社区',
    });
    expect(await count(h, 'volunteers')).toBe(1);
    // The same ID in another case and with spaces is the same person.
    const loser = results[0]!.ok ? MEMBER : RESIDENT;
    expect(
      (await h.fail(loser, 'volunteer', 'register', registration({ idNumber: ` ${ID_A.toLowerCase()} ` })))
        .code,
    ).toBe('CONFLICT');
  });

  it('resubmission while pending or rejected; a changed ID releases the old one; approved → CONFLICT', async () => {
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    await h.call(RESIDENT, 'volunteer', 'register', registration({ idNumber: ID_B, name: '王秀英' }));
    // ID_A is free again for someone else.
    await h.call(MEMBER, 'volunteer', 'register', registration({ idNumber: ID_A }));
    expect((await h.fail(MEMBER, 'volunteer', 'register', registration({ idNumber: ID_B }))).code).toBe(
      'CONFLICT',
    );
    await h.call(WORKER, 'volunteer', 'reviewRegistration', {
      openid: RESIDENT,
      approve: false,
      reason: '姓名与证件不符',
    });
    const again = await h.call(
      RESIDENT,
      'volunteer',
      'register',
      registration({ idNumber: ID_B, name: '王秀英' }),
    );
    expect(again.status).toBe('pending');
    expect(again.rejectReason).toBeUndefined();
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true });
    expect(await h.fail(RESIDENT, 'volunteer', 'register', registration({ idNumber: ID_B }))).toEqual({
      code: 'CONFLICT',
      message: '你已是登记志愿者，如需修改姓名或身份证号码请提交更正申请',
    });
  });

  it('the worker of the community reviews: approve grants the volunteer role once, notifies, audits', async () => {
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    await h.call(MEMBER, 'volunteer', 'register', registration({ idNumber: ID_B, name: '李建国' }));
    await addOtherWorker(h);
    const list = await h.call(WORKER, 'volunteer', 'listRegistrations', { status: 'pending' });
    expect(list.items.map((r) => r.openid).sort()).toEqual([MEMBER, RESIDENT]);
    expect(JSON.stringify(list)).not.toMatch(/idEncrypted|phoneEncrypted|idHash/);
    expect((await h.call(OTHER_WORKER, 'volunteer', 'listRegistrations', {})).items).toHaveLength(0);
    expect((await h.fail(OTHER_WORKER, 'volunteer', 'listRegistrations', { communityId: XFL })).code).toBe(
      'FORBIDDEN',
    );
    for (const who of [RESIDENT, UNIT, VOLUNTEER])
      expect((await h.fail(who, 'volunteer', 'listRegistrations', {})).code).toBe('FORBIDDEN');
    for (const who of [RESIDENT, UNIT, OTHER_WORKER])
      expect(
        (await h.fail(who, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true })).code,
      ).toBe('FORBIDDEN');
    expect(
      (await h.fail(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: false })).fields,
    ).toEqual({ reason: '请填写不通过的理由' });
    expect((await h.call(RESIDENT, 'volunteer', 'myRegistration', {})).registration?.status).toBe('pending');

    const approved = await h.call(WORKER, 'volunteer', 'reviewRegistration', {
      openid: RESIDENT,
      approve: true,
    });
    expect(approved).toMatchObject({ status: 'approved' });
    expect(approved.reviewedAt).toBe(h.clock.now);
    const user = (await all<User>(h, 'users', { _id: RESIDENT }))[0]!;
    expect(user.roles.filter((g) => g.role === 'volunteer')).toEqual([
      { role: 'volunteer', communityId: XFL },
    ]);
    expect(
      (await h.fail(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true })).code,
    ).toBe('CONFLICT');
    await h.call(ADMIN, 'volunteer', 'reviewRegistration', {
      openid: MEMBER,
      approve: false,
      reason: '信息不完整',
    });
    const msgs = await all<{ openid: string; kind: string; title: string }>(h, 'messages', {
      kind: 'volunteerReviewed',
    });
    expect(msgs.map((m) => [m.openid, m.title]).sort()).toEqual([
      [MEMBER, '志愿者登记未通过'],
      [RESIDENT, '志愿者登记已通过'],
    ]);
    const audits = await all<AuditEntry>(h, 'audit_log', { action: 'registrationReviewed' });
    expect(audits.map((a) => a.subject).sort()).toEqual([MEMBER, RESIDENT]);
    // The role is not granted twice after a correction and a second approval.
    await h.call(RESIDENT, 'volunteer', 'requestCorrection', {
      field: 'name',
      message: '姓名登记错了一个字',
    });
    const [c] = (await h.call(WORKER, 'volunteer', 'listCorrections', {})).items;
    await h.call(WORKER, 'volunteer', 'handleCorrection', {
      correctionId: c!._id,
      accept: true,
      reply: '请重新提交登记',
    });
    await h.call(RESIDENT, 'volunteer', 'register', registration({ name: '张晓宇' }));
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true });
    const again = (await all<User>(h, 'users', { _id: RESIDENT }))[0]!;
    expect(again.roles.filter((g) => g.role === 'volunteer')).toHaveLength(1);
  });

  it('reveals the identity only to the community worker, with the purpose audited', async () => {
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    await addOtherWorker(h);
    for (const who of [RESIDENT, UNIT, OTHER_WORKER, VOLUNTEER])
      expect(
        (await h.fail(who, 'volunteer', 'revealIdentity', { openid: RESIDENT, purpose: '核对保险信息' }))
          .code,
      ).toBe('FORBIDDEN');
    expect(await count(h, 'audit_log', { action: 'identityRevealed' })).toBe(0);
    const r = await h.call(WORKER, 'volunteer', 'revealIdentity', {
      openid: RESIDENT,
      purpose: '为志愿者购买保险',
    });
    expect(r).toEqual({ name: '张晓雨', idNumber: ID_A, phone: '13812345678' });
    const [entry] = await all<AuditEntry>(h, 'audit_log', { action: 'identityRevealed' });
    expect(entry).toMatchObject({
      actor: WORKER,
      subject: RESIDENT,
      communityId: XFL,
      detail: '为志愿者购买保险',
    });
    expect(
      (await h.fail(WORKER, 'volunteer', 'revealIdentity', { openid: MEMBER, purpose: '核对' })).code,
    ).toBe('NOT_FOUND');
  });

  it('updates phone, skills and preferences of the own registration only', async () => {
    expect((await h.fail(RESIDENT, 'volunteer', 'updateRegistration', { phone: '13900001111' })).code).toBe(
      'NOT_FOUND',
    );
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    const v = await h.call(RESIDENT, 'volunteer', 'updateRegistration', {
      phone: '13900001111',
      skills: ['理发', '维修'],
    });
    expect(v).toMatchObject({
      phoneMasked: '139****1111',
      skills: ['理发', '维修'],
      preferences: ['敬老助老'],
    });
    expect((await h.fail(RESIDENT, 'volunteer', 'updateRegistration', { name: '别人' })).code).toBe(
      'INVALID_INPUT',
    );
    const exported = await h.call(RESIDENT, 'volunteer', 'exportMyData', {});
    expect(exported.registration).toMatchObject({ phone: '13900001111', idNumber: ID_A, name: '张晓雨' });
  });

  it('exports the caller own data in full, and only theirs', async () => {
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    await h.call(MEMBER, 'volunteer', 'register', registration({ idNumber: ID_B, phone: '13700000000' }));
    await h.call(RESIDENT, 'volunteer', 'requestCorrection', {
      field: 'phone',
      message: '手机号码已更换，请更新',
    });
    const mine = await h.call(RESIDENT, 'volunteer', 'exportMyData', {});
    expect(mine.registration).toMatchObject({ idNumber: ID_A, phone: '13812345678', status: 'pending' });
    expect(mine.corrections).toHaveLength(1);
    expect(mine.account).toEqual({ recordedHours: 0, grantedHours: 0, pointsBalance: 0 });
    expect(JSON.stringify(mine)).not.toContain(ID_B);
    expect(JSON.stringify(mine)).not.toContain('13700000000');
    const none = await h.call(UNIT, 'volunteer', 'exportMyData', {});
    expect(none.registration).toBeNull();
    // The 显示 button: the caller's own numbers, nobody else's.
    expect(await h.call(RESIDENT, 'volunteer', 'revealMine', {})).toEqual({
      idNumber: ID_A,
      phone: '13812345678',
    });
    expect(await h.call(MEMBER, 'volunteer', 'revealMine', {})).toEqual({
      idNumber: ID_B,
      phone: '13700000000',
    });
    expect((await h.fail(UNIT, 'volunteer', 'revealMine', {})).code).toBe('NOT_FOUND');
    expect((await h.fail(RESIDENT, 'volunteer', 'revealMine', { openid: MEMBER })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('corrections: requested by volunteers, handled by the community worker; name/ID → registration reopened', async () => {
    expect(
      (
        await h.fail(RESIDENT, 'volunteer', 'requestCorrection', {
          field: 'name',
          message: '姓名写错了一个字',
        })
      ).code,
    ).toBe('NOT_FOUND');
    await h.call(RESIDENT, 'volunteer', 'register', registration());
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true });
    const c = await h.call(RESIDENT, 'volunteer', 'requestCorrection', {
      field: 'idNumber',
      message: '身份证号码最后一位登记错误',
    });
    expect(c).toMatchObject({ status: 'pending', field: 'idNumber', communityId: XFL });
    const d = await h.call(RESIDENT, 'volunteer', 'requestCorrection', {
      field: 'other',
      message: '其他需要说明的情况',
    });
    expect((await h.call(RESIDENT, 'volunteer', 'myCorrections', { pageSize: 1 })).nextCursor).toBe('1');
    await addOtherWorker(h);
    for (const who of [RESIDENT, UNIT, OTHER_WORKER])
      expect(
        (
          await h.fail(who, 'volunteer', 'handleCorrection', {
            correctionId: c._id,
            accept: true,
            reply: '好的',
          })
        ).code,
      ).toBe('FORBIDDEN');
    expect((await h.fail(UNIT, 'volunteer', 'listCorrections', {})).code).toBe('FORBIDDEN');
    expect((await h.call(WORKER, 'volunteer', 'listCorrections', { status: 'pending' })).total).toBe(2);

    const done = await h.call(WORKER, 'volunteer', 'handleCorrection', {
      correctionId: c._id,
      accept: true,
      reply: '请重新提交正确的身份证号码',
    });
    expect(done).toMatchObject({ status: 'accepted', reply: '请重新提交正确的身份证号码' });
    expect(done).not.toHaveProperty('handledBy');
    const reg = (await h.call(RESIDENT, 'volunteer', 'myRegistration', {})).registration;
    expect(reg).toMatchObject({ status: 'rejected', rejectReason: '请重新提交正确的身份证号码' });
    expect(
      (
        await h.fail(WORKER, 'volunteer', 'handleCorrection', {
          correctionId: c._id,
          accept: false,
          reply: '重复',
        })
      ).code,
    ).toBe('CONFLICT');
    // The volunteer resubmits through register with the corrected ID.
    expect((await h.call(RESIDENT, 'volunteer', 'register', registration({ idNumber: ID_C }))).status).toBe(
      'pending',
    );
    // Declining other fields leaves the registration alone.
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: RESIDENT, approve: true });
    await h.call(WORKER, 'volunteer', 'handleCorrection', {
      correctionId: d._id,
      accept: false,
      reply: '无需更正',
    });
    expect((await h.call(RESIDENT, 'volunteer', 'myRegistration', {})).registration?.status).toBe('approved');
    expect(await count(h, 'messages', { kind: 'volunteerReviewed', openid: RESIDENT })).toBe(4);
    expect(await count(h, 'audit_log', { action: 'correctionHandled' })).toBe(2);
  });

  it('never puts a full ID number in a response, a log line or a stored document (except export/reveal)', async () => {
    const logs = captureLogs(h);
    try {
      const responses: unknown[] = [];
      const call = async (openid: string, action: string, data: unknown) => {
        const res = await h.rt.call('volunteer', { action, data }, openid);
        responses.push(res);
        return res;
      };
      await call(RESIDENT, 'register', registration());
      await call(MEMBER, 'register', registration()); // duplicate: CONFLICT
      await call(MEMBER, 'register', registration({ idNumber: ID_B }));
      await call(MEMBER, 'register', registration({ idNumber: ID_B.slice(0, 17) + '0' })); // bad check digit
      await call(WORKER, 'listRegistrations', {});
      await call(WORKER, 'reviewRegistration', { openid: RESIDENT, approve: true });
      await call(RESIDENT, 'myRegistration', {});
      await call(RESIDENT, 'profile', {});
      h.clock.advance(DAY);
      await call(RESIDENT, 'issueCertificate', {});
      // Force an internal error path too: it must not log the input.
      await h.rt.call(
        'volunteer',
        { action: 'register', data: { ...(registration() as object), extra: ID_C } },
        RESIDENT,
      );
      const text = JSON.stringify(responses);
      for (const id of FULL_IDS) {
        expect(text).not.toContain(id);
        expect(logs.lines.join('\n')).not.toContain(id);
      }
      // Stored documents: every collection the function writes.
      for (const coll of [
        'volunteers',
        'volunteer_ids',
        'audit_log',
        'outbox',
        'messages',
        'users',
        'certificates',
      ]) {
        const docs = JSON.stringify(await all(h, coll));
        for (const id of FULL_IDS) expect(docs).not.toContain(id);
        expect(docs).not.toContain('13812345678');
      }
    } finally {
      logs.restore();
    }
  });

  it('a worker of another community and the admin: scope of listRegistrations', async () => {
    await addOtherWorker(h);
    await h.call(OTHER_WORKER, 'volunteer', 'register', registration({ communityId: HP, idNumber: ID_C }));
    expect((await h.call(OTHER_WORKER, 'volunteer', 'listRegistrations', {})).total).toBe(1);
    expect((await h.call(WORKER, 'volunteer', 'listRegistrations', {})).total).toBe(0);
    expect((await h.call(ADMIN, 'volunteer', 'listRegistrations', { communityId: HP })).total).toBe(1);
  });
});
