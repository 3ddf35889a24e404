import { createHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('user actions', () => {
  it('creates a resident on first contact and returns communities', async () => {
    const me = await h.call('brand-new-openid', 'user', 'me', {});
    expect(me.user).toMatchObject({ openid: 'brand-new-openid', roles: [{ role: 'resident' }] });
    expect(me.communities.map((c) => c.name).sort()).toEqual(['和平社区', '幸福里社区']);
    const again = await h.call('brand-new-openid', 'user', 'me', {});
    expect(again.user.openid).toBe('brand-new-openid');
  });

  it('ignores any identity in the request body', async () => {
    const res = await h.raw('demo-resident', 'user', { action: 'me', data: { openid: 'demo-admin' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const me = await h.call('demo-resident', 'user', 'me', {});
    expect(me.user.roles).toEqual([{ role: 'resident' }]);
  });

  it('updates the profile and switches community', async () => {
    expect((await h.call('demo-resident', 'user', 'updateProfile', { nickName: '王秀英' })).nickName).toBe(
      '王秀英',
    );
    expect((await h.fail('demo-resident', 'user', 'updateProfile', { nickName: '' })).fields).toEqual({
      nickName: '昵称不能为空',
    });
    expect(
      (await h.call('demo-resident', 'user', 'switchCommunity', { communityId: 'community-heping' }))
        .currentCommunityId,
    ).toBe('community-heping');
    expect((await h.fail('demo-resident', 'user', 'switchCommunity', { communityId: 'nowhere' })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('lists the directory of communities, units and sites', async () => {
    const dir = await h.call('demo-resident', 'user', 'communities', {});
    expect(dir.units.map((u) => u.name)).toContain('区人民医院');
    expect(dir.sites.length).toBeGreaterThanOrEqual(4);
  });

  it('lets workers grant volunteer/member only in their community and only admins appoint workers', async () => {
    const granted = await h.call('demo-worker', 'user', 'grantRole', {
      openid: 'demo-resident',
      role: 'volunteer',
      communityId: 'community-xingfuli',
    });
    expect(granted.roles).toContainEqual({ role: 'volunteer', communityId: 'community-xingfuli' });
    expect(
      (
        await h.fail('demo-worker', 'user', 'grantRole', {
          openid: 'demo-resident',
          role: 'member',
          communityId: 'community-heping',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await h.fail('demo-worker', 'user', 'grantRole', {
          openid: 'demo-resident',
          role: 'worker',
          communityId: 'community-xingfuli',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await h.fail('demo-resident', 'user', 'grantRole', {
          openid: 'demo-resident',
          role: 'volunteer',
          communityId: 'community-xingfuli',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await h.fail('demo-admin', 'user', 'grantRole', {
          openid: 'nobody',
          role: 'worker',
          communityId: 'community-heping',
        })
      ).code,
    ).toBe('NOT_FOUND');
    const worker = await h.call('demo-admin', 'user', 'grantRole', {
      openid: 'demo-resident',
      role: 'worker',
      communityId: 'community-heping',
    });
    expect(worker.roles).toContainEqual({ role: 'worker', communityId: 'community-heping' });
    // Granting twice does not duplicate.
    const twice = await h.call('demo-admin', 'user', 'grantRole', {
      openid: 'demo-resident',
      role: 'worker',
      communityId: 'community-heping',
    });
    expect(twice.roles.filter((r) => r.role === 'worker')).toHaveLength(1);
    const unitStaff = await h.call('demo-worker', 'user', 'grantRole', {
      openid: 'demo-member',
      role: 'unitStaff',
      unitId: 'unit-tech',
    });
    expect(unitStaff.roles).toContainEqual({ role: 'unitStaff', unitId: 'unit-tech' });
    expect(
      (
        await h.fail('demo-worker', 'user', 'grantRole', {
          openid: 'demo-member',
          role: 'unitStaff',
          unitId: 'unit-school',
        })
      ).code,
    ).toBe('FORBIDDEN');
  });

  it('revokes roles with the same rules', async () => {
    const revoked = await h.call('demo-worker', 'user', 'revokeRole', {
      openid: 'demo-volunteer',
      role: 'volunteer',
      communityId: 'community-xingfuli',
    });
    expect(revoked.roles).toEqual([{ role: 'resident' }]);
    expect(
      (
        await h.fail('demo-volunteer', 'user', 'revokeRole', {
          openid: 'demo-worker',
          role: 'worker',
          communityId: 'community-xingfuli',
        })
      ).code,
    ).toBe('FORBIDDEN');
  });
});
