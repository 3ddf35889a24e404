/**
 * Handler defects found by probing the running server (issue 10): each test here failed on the
 * code before its fix.
 */
import { pageWindow } from '../../cloudfunctions/core/paging';
import { createHarness, type Harness } from '../helpers/harness';
import { addUser, count, serviceInput, UNIT, WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('co-hosts of a service listing (defect 1)', () => {
  it('unit staff may name only their own unit; another unit is refused and nothing is written', async () => {
    const before = await count(h, 'activities');
    const services = await count(h, 'services');
    const err = await h.fail(
      UNIT,
      'volunteer',
      'publishService',
      serviceInput(h, { hostUnitIds: ['unit-tech'] }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe('单位工作人员只能以本单位名义发布，其他共建单位请由社区工作人员添加');
    // Mixed with their own unit is refused too.
    expect(
      (
        await h.fail(
          UNIT,
          'volunteer',
          'publishService',
          serviceInput(h, { hostUnitIds: ['unit-hospital', 'unit-tech'] }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(await count(h, 'activities')).toBe(before);
    expect(await count(h, 'services')).toBe(services);

    // Their own unit, named or not, is fine.
    const own = await h.call(
      UNIT,
      'volunteer',
      'publishService',
      serviceInput(h, { hostUnitIds: ['unit-hospital'] }),
    );
    expect(own.hostUnits.map((u) => u._id)).toEqual(['unit-hospital']);

    // unit-tech's staff therefore cannot run the hospital's listing.
    await addUser(h, 'tech-staff', [{ role: 'unitStaff', unitId: 'unit-tech' }]);
    expect((await h.fail('tech-staff', 'volunteer', 'closeService', { serviceId: own._id })).code).toBe(
      'FORBIDDEN',
    );
  });

  it('a worker of the community may name any existing units as co-hosts', async () => {
    const d = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { hostUnitIds: ['unit-hospital', 'unit-tech'] }),
    );
    expect(d.communityId).toBe(XFL);
    expect(d.hostUnits.map((u) => u._id).sort()).toEqual(['unit-hospital', 'unit-tech']);
  });
});

describe('paging cursor (defect 3)', () => {
  const HUGE = '99999999999999999999';
  const cases: [string, string, string, Record<string, unknown>][] = [
    [WORKER, 'activity', 'list', { when: 'all' }],
    [WORKER, 'activity', 'mine', {}],
    [WORKER, 'notify', 'list', {}],
    [WORKER, 'grievance', 'mine', {}],
    [WORKER, 'points', 'listGoods', {}],
    [WORKER, 'volunteer', 'listServices', {}],
    [WORKER, 'alliance', 'listProjects', {}],
  ];

  it.each(cases)(
    '%s %s.%s: a cursor out of range is INVALID_INPUT with a Chinese message',
    async (who, fn, action, data) => {
      for (const cursor of [HUGE, '1000001', '-1', '1e3', 'abc', ' 5', '5.5']) {
        const err = await h.fail(who, fn as never, action as never, { ...data, cursor } as never);
        expect(err).toMatchObject({ code: 'INVALID_INPUT', message: '分页位置无效，请从第一页重新加载' });
      }
    },
  );

  it('a cursor the server handed out still pages on, and the bound itself is accepted', async () => {
    const first = await h.call(WORKER, 'activity', 'list', { when: 'all', pageSize: 1 });
    expect(first.total).toBeGreaterThan(1);
    const second = await h.call(WORKER, 'activity', 'list', {
      when: 'all',
      pageSize: 1,
      cursor: first.nextCursor,
    });
    expect(second.items[0]!._id).not.toBe(first.items[0]!._id);
    const far = await h.call(WORKER, 'activity', 'list', { when: 'all', cursor: '1000000' });
    expect(far.items).toEqual([]);
  });

  it('pageWindow itself refuses what the schema would (callers building their own input)', () => {
    expect(pageWindow({ pageSize: 20, cursor: '40' })).toEqual({ skip: 40, limit: 20 });
    expect(pageWindow({ pageSize: 20 })).toEqual({ skip: 0, limit: 20 });
    for (const cursor of [HUGE, '-1', 'x'])
      expect(() => pageWindow({ pageSize: 20, cursor })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }) as unknown as Error,
      );
  });
});
