/**
 * Pickup codes stay unique among a community's redemptions awaiting pickup under real
 * interleaving: the code is held by a document the redeeming transaction writes, so two
 * redemptions of different goods drawing the same code cannot both commit it.
 */
import crypto from 'node:crypto';
import { createHarness, type Harness } from '../helpers/harness';
import type { Redemption } from '../../types/domain';
import { pointsKit } from './points-fixtures';
import { WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
const { all, give, reset, expectLedgersBalanced } = pointsKit(() => h);
beforeEach(async () => {
  h = await createHarness();
  await reset();
});
afterEach(() => {
  jest.restoreAllMocks();
  h.close();
});

const goods = (name: string) =>
  h.call(WORKER, 'points', 'saveGoods', { communityId: XFL, name, price: 10, stock: 5 });

/** Every pickup code drawn from now on is 00000042. */
const sameCode = () => jest.spyOn(crypto, 'randomInt').mockImplementation((() => 42) as never);

const awaiting = async () =>
  (await all<Redemption>('redemptions')).filter((r) => r.status === 'awaitingPickup');

it('concurrent redemptions of different goods drawing one code: only one holds it', async () => {
  const items = await Promise.all(['保温杯', '雨伞', '毛巾', '环保袋', '台灯'].map(goods));
  const users = items.map((_, i) => `picker-${i}`);
  for (const u of users) await give(u, 100);
  sameCode();
  const results = await h.interleaved(() =>
    Promise.all(
      users.map((u, i) => h.raw(u, 'points', { action: 'redeem', data: { goodsId: items[i]!._id } })),
    ),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  for (const r of results.filter((x) => !x.ok)) {
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '取货码生成失败，请稍后重试' },
    });
  }
  const open = await awaiting();
  expect(open.map((r) => r.pickupCode)).toEqual(['00000042']);
  // Refused redemptions took nothing.
  await expectLedgersBalanced({ onlyPoints: true });
  expect((await all<{ stock: number }>('goods')).map((g) => g.stock).sort()).toEqual([4, 5, 5, 5, 5]);
});

it('cancelling or picking up frees the code for the next redemption', async () => {
  const [a, b] = await Promise.all([goods('保温杯'), goods('雨伞')]);
  await give('picker-a', 100);
  await give('picker-b', 100);
  sameCode();
  const first = await h.call('picker-a', 'points', 'redeem', { goodsId: a._id });
  expect(first.pickupCode).toBe('00000042');
  expect((await h.fail('picker-b', 'points', 'redeem', { goodsId: b._id })).code).toBe('CONFLICT');

  await h.call('picker-a', 'points', 'cancelRedemption', { redemptionId: first._id });
  const second = await h.call('picker-b', 'points', 'redeem', { goodsId: b._id });
  expect(second.pickupCode).toBe('00000042');
  expect((await h.fail('picker-a', 'points', 'redeem', { goodsId: a._id })).code).toBe('CONFLICT');

  await h.call(WORKER, 'points', 'confirmPickup', { redemptionId: second._id });
  const third = await h.call('picker-a', 'points', 'redeem', { goodsId: a._id });
  expect(third.pickupCode).toBe('00000042');
  expect((await awaiting()).map((r) => r._id)).toEqual([third._id]);
  // The worker finds the one awaiting pickup by the code.
  const found = await h.call(WORKER, 'points', 'findPickup', { communityId: XFL, code: '00000042' });
  expect(found._id).toBe(third._id);
});
