/**
 * Handler defects found by probing the running server (issue 10): each test here failed on the
 * code before its fix.
 */
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
