/**
 * Redemptions under contention: stock and points are taken in one transaction, so parallel
 * redemptions never oversell and never overdraw, and the balances stay equal to the ledger sums.
 */
import { createHarness, type Harness } from '../helpers/harness';
import type { Goods, Redemption, ServiceAccount } from '../../types/domain';
import { pointsKit } from './points-fixtures';
import { WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
const { all, give, reset, expectLedgersBalanced } = pointsKit(() => h);
beforeEach(async () => {
  h = await createHarness();
  await reset();
});
afterEach(() => h.close());

const goods = (over: Record<string, unknown>) =>
  h.call(WORKER, 'points', 'saveGoods', {
    communityId: XFL,
    name: '保温杯',
    price: 40,
    stock: 1,
    ...over,
  });

it('N users racing for the last item: exactly one gets it, stock ends at 0, ledgers stay balanced', async () => {
  const g = await goods({ stock: 1, price: 40 });
  const users = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
  for (const u of users) await give(u, 100);

  const results = await h.interleaved(() =>
    Promise.all(users.map((u) => h.raw(u, 'points', { action: 'redeem', data: { goodsId: g._id } }))),
  );
  const won = results.filter((r) => r.ok);
  expect(won).toHaveLength(1);
  for (const r of results.filter((x) => !x.ok)) {
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: '已兑完' } });
  }

  const stored = (await all<Goods>('goods')).find((x) => x._id === g._id)!;
  expect(stored).toMatchObject({ stock: 0, redeemedCount: 1 });
  const redemptions = await all<Redemption>('redemptions');
  expect(redemptions).toHaveLength(1);
  const winner = redemptions[0]!.openid;
  const accounts = await all<ServiceAccount>('service_accounts');
  for (const a of accounts) expect(a.pointsBalance).toBe(a._id === winner ? 60 : 100);
  await expectLedgersBalanced({ onlyPoints: true });
});

it('one user with points for exactly one item firing 5 redeems at once: exactly one succeeds, never negative', async () => {
  const g = await goods({ stock: 10, price: 30 });
  await give('eager', 30);

  const results = await h.interleaved(() =>
    Promise.all(
      Array.from({ length: 5 }, () =>
        h.raw('eager', 'points', { action: 'redeem', data: { goodsId: g._id } }),
      ),
    ),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  for (const r of results.filter((x) => !x.ok)) {
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '积分不足：需要 30 分，当前 0 分' },
    });
  }
  expect((await h.call('eager', 'points', 'summary', {})).balance).toBe(0);
  const stored = (await all<Goods>('goods')).find((x) => x._id === g._id)!;
  expect(stored).toMatchObject({ stock: 9, redeemedCount: 1 });
  expect(await all<Redemption>('redemptions')).toHaveLength(1);
  await expectLedgersBalanced({ onlyPoints: true });
});

it('parallel cancels of one redemption refund once', async () => {
  const g = await goods({ stock: 2, price: 25 });
  await give('canceller', 25);
  const r = await h.call('canceller', 'points', 'redeem', { goodsId: g._id });

  const results = await h.interleaved(() =>
    Promise.all(
      Array.from({ length: 4 }, () =>
        h.raw('canceller', 'points', { action: 'cancelRedemption', data: { redemptionId: r._id } }),
      ),
    ),
  );
  expect(results.filter((x) => x.ok)).toHaveLength(1);
  expect(results.filter((x) => !x.ok).every((x) => !x.ok && x.error.code === 'CONFLICT')).toBe(true);
  expect((await h.call('canceller', 'points', 'summary', {})).balance).toBe(25);
  const stored = (await all<Goods>('goods')).find((x) => x._id === g._id)!;
  expect(stored).toMatchObject({ stock: 2, redeemedCount: 0 });
  await expectLedgersBalanced({ onlyPoints: true });
});

it('redemptions and cancellations interleaved across users keep stock + redeemed constant', async () => {
  const g = await goods({ stock: 5, price: 10 });
  const users = Array.from({ length: 6 }, (_, i) => `mix-${i}`);
  for (const u of users) await give(u, 20);
  const first = await h.interleaved(() =>
    Promise.all(users.map((u) => h.raw(u, 'points', { action: 'redeem', data: { goodsId: g._id } }))),
  );
  const ok = first.filter((r) => r.ok) as { ok: true; data: Redemption }[];
  expect(ok).toHaveLength(5);
  await h.interleaved(() =>
    Promise.all([
      ...ok
        .slice(0, 3)
        .map((r) =>
          h.raw(r.data.openid, 'points', { action: 'cancelRedemption', data: { redemptionId: r.data._id } }),
        ),
      ...users.map((u) => h.raw(u, 'points', { action: 'redeem', data: { goodsId: g._id } })),
    ]),
  );
  const stored = (await all<Goods>('goods')).find((x) => x._id === g._id)!;
  const awaiting = (await all<Redemption>('redemptions')).filter((r) => r.status === 'awaitingPickup');
  expect(stored.stock).toBeGreaterThanOrEqual(0);
  expect(stored.stock + awaiting.length).toBe(5);
  expect(stored.redeemedCount).toBe(awaiting.length);
  await expectLedgersBalanced({ onlyPoints: true });
});
