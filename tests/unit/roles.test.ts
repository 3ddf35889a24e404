import { roleKey, roleKeysOf, roleKeysStale, rolesPatch } from '../../cloudfunctions/domain/roles';
import type { RoleGrant } from '../../types/domain';

describe('roleKey', () => {
  it('is the bare role, or the role scoped to a community or a unit', () => {
    expect(roleKey('admin')).toBe('admin');
    expect(roleKey('worker', { communityId: 'c1' })).toBe('worker:c:c1');
    expect(roleKey('unitStaff', { unitId: 'u1' })).toBe('unitStaff:u:u1');
  });

  it('keeps community and unit ids apart (the same id never gives the same key)', () => {
    expect(roleKey('member', { communityId: 'x' })).not.toBe(roleKey('member', { unitId: 'x' }));
  });

  it('refuses a key scoped to both', () => {
    expect(() => roleKey('worker', { communityId: 'c', unitId: 'u' })).toThrow();
  });
});

describe('roleKeysOf', () => {
  it('gives each grant its bare key and one key per scope, sorted and without duplicates', () => {
    const roles: RoleGrant[] = [
      { role: 'resident' },
      { role: 'member', communityId: 'c2' },
      { role: 'worker', communityId: 'c1' },
      { role: 'worker', communityId: 'c2' },
      { role: 'unitStaff', unitId: 'u1' },
      { role: 'worker', communityId: 'c1' },
    ];
    expect(roleKeysOf(roles)).toEqual([
      'member',
      'member:c:c2',
      'resident',
      'unitStaff',
      'unitStaff:u:u1',
      'worker',
      'worker:c:c1',
      'worker:c:c2',
    ]);
  });

  it('a grant carrying both scopes is found by either', () => {
    expect(roleKeysOf([{ role: 'unitStaff', communityId: 'c', unitId: 'u' }])).toEqual([
      'unitStaff',
      'unitStaff:c:c',
      'unitStaff:u:u',
    ]);
  });

  it('ignores empty scopes and malformed entries; no roles, no keys', () => {
    expect(
      roleKeysOf([
        { role: 'member', communityId: '' },
        { role: 'volunteer', communityId: undefined },
      ]),
    ).toEqual(['member', 'volunteer']);
    expect(roleKeysOf([null as unknown as RoleGrant, {} as RoleGrant])).toEqual([]);
    expect(roleKeysOf(undefined)).toEqual([]);
    expect(roleKeysOf([])).toEqual([]);
  });

  it('depends on the set of grants, not their order', () => {
    const a: RoleGrant[] = [{ role: 'worker', communityId: 'c1' }, { role: 'admin' }];
    expect(roleKeysOf(a)).toEqual(roleKeysOf([...a].reverse()));
  });

  /** The keys reproduce elemMatch({ role, communityId }) / ({ role, unitId }) / ({ role }). */
  it('a key is held exactly when some grant matches that role and scope', () => {
    const grants: RoleGrant[][] = [
      [],
      [{ role: 'resident' }],
      [{ role: 'worker', communityId: 'c1' }],
      [
        { role: 'worker', communityId: 'c2' },
        { role: 'member', communityId: 'c1' },
      ],
      [{ role: 'unitStaff', unitId: 'u1' }, { role: 'admin' }],
      [{ role: 'member' }, { role: 'volunteer', communityId: 'c1' }],
    ];
    const probes: { role: RoleGrant['role']; communityId?: string; unitId?: string }[] = [];
    for (const role of ['resident', 'volunteer', 'member', 'unitStaff', 'worker', 'admin'] as const) {
      probes.push({ role });
      for (const communityId of ['c1', 'c2']) probes.push({ role, communityId });
      probes.push({ role, unitId: 'u1' });
    }
    for (const roles of grants)
      for (const p of probes) {
        const matches = roles.some(
          (g) =>
            g.role === p.role &&
            (p.communityId === undefined || g.communityId === p.communityId) &&
            (p.unitId === undefined || g.unitId === p.unitId),
        );
        const scope = p.communityId ? { communityId: p.communityId } : p.unitId ? { unitId: p.unitId } : {};
        expect([roles, p, roleKeysOf(roles).includes(roleKey(p.role, scope))]).toEqual([roles, p, matches]);
      }
  });
});

describe('rolesPatch and roleKeysStale', () => {
  it('writes the roles and their keys together', () => {
    const roles: RoleGrant[] = [{ role: 'resident' }, { role: 'admin' }];
    expect(rolesPatch(roles)).toEqual({ roles, roleKeys: ['admin', 'resident'] });
  });

  it('a user is stale when the keys are missing or differ from the roles', () => {
    const roles: RoleGrant[] = [{ role: 'resident' }, { role: 'worker', communityId: 'c1' }];
    expect(roleKeysStale({ roles })).toBe(true);
    expect(roleKeysStale({ roles, roleKeys: null })).toBe(true);
    expect(roleKeysStale({ roles, roleKeys: ['resident', 'worker'] })).toBe(true);
    expect(roleKeysStale({ roles, roleKeys: ['resident', 'worker', 'worker:c:c2'] })).toBe(true);
    expect(roleKeysStale({ ...rolesPatch(roles) })).toBe(false);
    expect(roleKeysStale({ roles: [], roleKeys: [] })).toBe(false);
  });
});
