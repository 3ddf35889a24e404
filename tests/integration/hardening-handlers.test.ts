/**
 * Handler defects found by probing the running server (issue 10): each test here failed on the
 * code before its fix.
 */
import { pageWindow } from '../../cloudfunctions/core/paging';
import { createHarness, type Harness } from '../helpers/harness';
import type { Goods, Redemption } from '../../types/domain';
import type { GoodsView } from '../../types/points';
import { pointsKit } from './points-fixtures';
import {
  ADMIN,
  addOtherWorker,
  addUser,
  count,
  HP,
  OTHER_WORKER,
  RESIDENT,
  serviceInput,
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

describe('editing goods never undoes redemptions (defect 4)', () => {
  const { all, give } = pointsKit(() => h);
  const stored = async (id: string) => (await all<Goods>('goods')).find((g) => g._id === id)!;
  const create = (stock: number) =>
    h.call(WORKER, 'points', 'saveGoods', { communityId: XFL, name: '环保水杯', price: 10, stock });
  /** What the worker's form sends back for an item it loaded: everything but the stock. */
  const edit = (g: GoodsView, over: Record<string, unknown> = {}) =>
    h.call(WORKER, 'points', 'saveGoods', {
      goodsId: g._id,
      communityId: g.communityId,
      name: g.name,
      description: g.description,
      price: g.price,
      onSale: g.onSale,
      ...over,
    });

  it('open (50) → a redemption (49) → save a new description: stock stays 49', async () => {
    const opened = await create(50);
    await give(VOLUNTEER, 100);
    await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: opened._id });
    const saved = await edit(opened, { description: '不锈钢，500 毫升' });
    expect(saved).toMatchObject({ stock: 49, redeemedCount: 1, description: '不锈钢，500 毫升' });
    expect(await stored(opened._id)).toMatchObject({ stock: 49, redeemedCount: 1 });
    // Adding and removing apply to the current stock.
    expect((await edit(opened, { stockDelta: 11 })).stock).toBe(60);
    expect((await edit(opened, { stockDelta: -60 })).stock).toBe(0);
  });

  it('refuses writing back an absolute stock, and removing more than is left; nothing changes', async () => {
    const g = await create(5);
    await give(VOLUNTEER, 100);
    await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    const before = await stored(g._id);
    const absolute = await h.fail(WORKER, 'points', 'saveGoods', {
      goodsId: g._id,
      communityId: XFL,
      name: g.name,
      price: g.price,
      stock: 5,
    });
    expect(absolute).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { stock: '编辑商品时请填写增加或减少的库存件数，不能直接改写库存' },
    });
    expect(await h.fail(WORKER, 'points', 'saveGoods', { ...editOf(g), stockDelta: -5 })).toMatchObject({
      code: 'CONFLICT',
      message: '库存只剩 4 件，不能减少 5 件',
    });
    expect(await h.fail(WORKER, 'points', 'saveGoods', { ...editOf(g), stockDelta: 1.5 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(
      await h.fail(WORKER, 'points', 'saveGoods', {
        communityId: XFL,
        name: '新商品',
        price: 1,
        stockDelta: 3,
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', fields: { stock: '请填写库存' } });
    expect(await stored(g._id)).toEqual(before);
  });

  it('edits racing redemptions: every redemption and every change counts, stock never negative', async () => {
    const g = await create(50);
    const users = Array.from({ length: 10 }, (_, i) => `buyer-${i}`);
    for (const u of users) await give(u, 100);
    const results = await h.interleaved(() =>
      Promise.all([
        ...users.map((u) => h.raw(u, 'points', { action: 'redeem', data: { goodsId: g._id } })),
        h.raw(WORKER, 'points', { action: 'saveGoods', data: { ...editOf(g), description: '新说明' } }),
        h.raw(WORKER, 'points', {
          action: 'saveGoods',
          data: { ...editOf(g), description: '新说明', stockDelta: -5 },
        }),
      ]),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await stored(g._id)).toMatchObject({ stock: 35, redeemedCount: 10, description: '新说明' });

    // The last three items: two buyers and a removal of two race; whatever wins, nothing is oversold.
    const last = await create(3);
    const race = await h.interleaved(() =>
      Promise.all([
        h.raw('buyer-0', 'points', { action: 'redeem', data: { goodsId: last._id } }),
        h.raw('buyer-1', 'points', { action: 'redeem', data: { goodsId: last._id } }),
        h.raw(WORKER, 'points', { action: 'saveGoods', data: { ...editOf(last), stockDelta: -2 } }),
      ]),
    );
    const sold = race.slice(0, 2).filter((r) => r.ok).length;
    const removed = race[2]!.ok ? 2 : 0;
    const after = await stored(last._id);
    expect(after.stock).toBeGreaterThanOrEqual(0);
    expect(after.stock).toBe(3 - sold - removed);
    expect(after.redeemedCount).toBe(sold);
    expect((await all<Redemption>('redemptions')).filter((r) => r.goodsId === last._id)).toHaveLength(sold);
  });
});

/** An edit of `g` that changes nothing. */
function editOf(g: GoodsView) {
  return {
    goodsId: g._id,
    communityId: g.communityId,
    name: g.name,
    description: g.description,
    price: g.price,
  };
}

describe('points rules are public (defect 9)', () => {
  it('a worker of another community reads them like any resident; only the community’s workers see who changed them', async () => {
    await addOtherWorker(h);
    const cfg = { communityId: XFL, pointsPerHour: 2, pointsExpiry: null };
    await h.call(WORKER, 'volunteer', 'configure', cfg);

    const publicPart = { _id: XFL, pointsPerHour: 2, pointsExpiry: null, updatedBy: '' };
    expect(await h.call(OTHER_WORKER, 'volunteer', 'settings', { communityId: XFL })).toMatchObject(
      publicPart,
    );
    await addUser(h, 'tech-staff', [{ role: 'unitStaff', unitId: 'unit-tech' }]);
    for (const who of [RESIDENT, VOLUNTEER, UNIT, 'tech-staff'])
      expect(await h.call(who, 'volunteer', 'settings', { communityId: XFL })).toMatchObject(publicPart);

    // Without a community named, a worker reads the one they manage.
    expect(await h.call(OTHER_WORKER, 'volunteer', 'settings', {})).toMatchObject({ _id: HP, updatedBy: '' });
    for (const who of [WORKER, ADMIN])
      expect(await h.call(who, 'volunteer', 'settings', { communityId: XFL })).toMatchObject({
        pointsPerHour: 2,
        updatedBy: WORKER,
      });
    expect(await h.call(WORKER, 'volunteer', 'settings', {})).toMatchObject({ _id: XFL, updatedBy: WORKER });
    // Configuring stays the community's workers' own.
    expect((await h.fail(OTHER_WORKER, 'volunteer', 'configure', cfg)).code).toBe('FORBIDDEN');
  });
});
