/**
 * Points mall (积分超市): goods management and listing, redemption with pickup codes,
 * cancellation, pickup by a worker of the community — with the authorization cases and the
 * "a refused call changes nothing" checks.
 */
import sharp from 'sharp';
import { createHarness, type Harness } from '../helpers/harness';
import type { AuditEntry } from '../../types/domain';
import { pointsKit } from './points-fixtures';
import {
  ADMIN,
  HP as HEPING,
  OTHER_WORKER as HEPING_WORKER,
  RESIDENT,
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
const { all, give, reset, snapshot } = pointsKit(() => h);
beforeEach(async () => {
  h = await createHarness();
  await reset(['audit_log'], { otherWorker: true });
});
afterEach(() => h.close());

const goodsInput = (over: Record<string, unknown> = {}) => ({
  communityId: XFL,
  name: '洗衣液',
  description: '2 kg 装',
  price: 30,
  stock: 5,
  ...over,
});
/** An edit sends no absolute stock (only `stockDelta`, a change applied to the current stock). */
const editInput = (goodsId: string, over: Record<string, unknown> = {}) => {
  const { stock: _stock, ...rest } = goodsInput(over);
  return { ...rest, goodsId };
};

const balanceOf = async (openid: string) => (await h.call(openid, 'points', 'summary', {})).balance;

describe('goods', () => {
  it('a worker creates and edits goods of their community; others are refused and nothing changes', async () => {
    const created = await h.call(WORKER, 'points', 'saveGoods', goodsInput());
    expect(created).toMatchObject({
      communityId: XFL,
      name: '洗衣液',
      price: 30,
      stock: 5,
      redeemedCount: 0,
      onSale: true,
      canRedeem: { ok: false, reason: '积分不足：需要 30 分，当前 0 分' },
    });
    expect(created).not.toHaveProperty('createdBy');

    const before = await snapshot();
    for (const who of [RESIDENT, VOLUNTEER]) {
      expect((await h.fail(who, 'points', 'saveGoods', goodsInput())).code).toBe('FORBIDDEN');
    }
    expect((await h.fail(HEPING_WORKER, 'points', 'saveGoods', goodsInput())).code).toBe('FORBIDDEN');
    expect((await h.fail(HEPING_WORKER, 'points', 'saveGoods', editInput(created._id))).code).toBe(
      'FORBIDDEN',
    );
    // Moving goods to another community is refused, even by the street admin.
    expect(
      (await h.fail(ADMIN, 'points', 'saveGoods', editInput(created._id, { communityId: HEPING }))).code,
    ).toBe('FORBIDDEN');
    const bad = await h.fail(WORKER, 'points', 'saveGoods', { ...goodsInput(), stock: -1 });
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', message: '库存不能为负' });
    expect((await h.fail(WORKER, 'points', 'saveGoods', { ...goodsInput(), price: 0 })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await h.fail(WORKER, 'points', 'saveGoods', editInput('nope'))).code).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    h.clock.advance(1000);
    const edited = await h.call(
      WORKER,
      'points',
      'saveGoods',
      editInput(created._id, { name: '洗衣液（大瓶）', stockDelta: 3, onSale: false }),
    );
    expect(edited).toMatchObject({
      _id: created._id,
      name: '洗衣液（大瓶）',
      stock: 8,
      onSale: false,
      createdAt: created.createdAt,
      updatedAt: h.clock.now,
      canRedeem: { ok: false, reason: '商品已下架' },
    });
    // The street admin manages every community.
    const byAdmin = await h.call(
      ADMIN,
      'points',
      'saveGoods',
      goodsInput({ communityId: HEPING, name: '毛巾' }),
    );
    expect(byAdmin.communityId).toBe(HEPING);
  });

  it('lists on-sale goods of the caller’s community newest first, off-sale ones only for its managers', async () => {
    const a = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ name: '毛巾', price: 15 }));
    h.clock.advance(1000);
    const b = await h.call(
      WORKER,
      'points',
      'saveGoods',
      goodsInput({ name: '理发券', price: 20, stock: 0 }),
    );
    h.clock.advance(1000);
    const off = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ name: '旧商品', onSale: false }));
    await h.call(HEPING_WORKER, 'points', 'saveGoods', goodsInput({ communityId: HEPING, name: '和平大米' }));
    await give(RESIDENT, 16);

    const page = await h.call(RESIDENT, 'points', 'listGoods', {});
    expect(page.total).toBe(2);
    expect(page.items.map((g) => g._id)).toEqual([b._id, a._id]);
    expect(page.items[0]!.canRedeem).toEqual({ ok: false, reason: '已兑完' });
    expect(page.items[1]!.canRedeem).toEqual({ ok: true });

    // A resident asking for off-sale goods just gets the on-sale ones.
    expect((await h.call(RESIDENT, 'points', 'listGoods', { includeOffSale: true })).total).toBe(2);
    const mgr = await h.call(WORKER, 'points', 'listGoods', { includeOffSale: true });
    expect(mgr.items.map((g) => g._id)).toEqual([off._id, b._id, a._id]);
    // Another community's worker cannot see this one's off-sale goods.
    expect(
      (await h.call(HEPING_WORKER, 'points', 'listGoods', { communityId: XFL, includeOffSale: true })).total,
    ).toBe(2);
    expect((await h.call(HEPING_WORKER, 'points', 'listGoods', {})).items.map((g) => g.name)).toEqual([
      '和平大米',
    ]);

    // Paging.
    const first = await h.call(WORKER, 'points', 'listGoods', { includeOffSale: true, pageSize: 2 });
    expect(first.items).toHaveLength(2);
    const second = await h.call(WORKER, 'points', 'listGoods', {
      includeOffSale: true,
      pageSize: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((g) => g._id)).toEqual([a._id]);
    expect(second.nextCursor).toBeUndefined();

    expect((await h.call(RESIDENT, 'points', 'goodsDetail', { goodsId: a._id })).canRedeem.ok).toBe(true);
    expect((await h.fail(RESIDENT, 'points', 'goodsDetail', { goodsId: off._id })).code).toBe('NOT_FOUND');
    expect((await h.call(WORKER, 'points', 'goodsDetail', { goodsId: off._id })).onSale).toBe(false);
  });

  it('shows an uploaded photo through the file URL scheme and refuses someone else’s upload', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const { fileId, url } = await h.rt.files.save(png, WORKER);
    const { fileId: residents } = await h.rt.files.save(png, RESIDENT);
    const before = await snapshot();
    const refused = await h.fail(WORKER, 'points', 'saveGoods', goodsInput({ imageId: residents }));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(await snapshot()).toEqual(before);

    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ imageId: fileId }));
    expect(g.imageUrl).toBe(url);
    expect(g).not.toHaveProperty('imageId');
    // Editing without sending the image again keeps it.
    const edited = await h.call(WORKER, 'points', 'saveGoods', editInput(g._id, { price: 25 }));
    expect(edited.imageUrl).toBe(url);
    expect((await h.call(RESIDENT, 'points', 'listGoods', {})).items[0]!.imageUrl).toBe(url);
  });
});

describe('redeeming', () => {
  it('takes points and stock together and gives an 8-digit pickup code; refusals change nothing', async () => {
    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ price: 30, stock: 2 }));
    const before = await snapshot();
    const poor = await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    expect(poor).toMatchObject({ code: 'CONFLICT', message: '积分不足：需要 30 分，当前 0 分' });
    expect((await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: 'missing' })).code).toBe('NOT_FOUND');
    expect((await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: '' })).code).toBe('INVALID_INPUT');
    expect((await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: g._id, extra: 1 })).code).toBe(
      'INVALID_INPUT',
    );
    expect(await snapshot()).toEqual(before);

    await give(VOLUNTEER, 75);
    h.clock.advance(1000);
    const r = await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    expect(r).toMatchObject({
      openid: VOLUNTEER,
      communityId: XFL,
      goodsId: g._id,
      goodsName: '洗衣液',
      price: 30,
      status: 'awaitingPickup',
      createdAt: h.clock.now,
    });
    expect(r.pickupCode).toMatch(/^\d{8}$/);
    expect(r.pickupQr).toBe(`tongxin:pickup:${r.pickupCode}`);
    expect(await balanceOf(VOLUNTEER)).toBe(45);

    const ledger = await h.call(VOLUNTEER, 'points', 'ledger', {});
    expect(ledger.items[0]).toMatchObject({
      _id: `redeem_${r._id}`,
      kind: 'redeemed',
      points: -30,
      ref: { type: 'redemption', id: r._id },
    });
    expect(ledger.items[0]).not.toHaveProperty('openid');
    expect(ledger.items[0]).not.toHaveProperty('by');

    const after = await h.call(VOLUNTEER, 'points', 'goodsDetail', { goodsId: g._id });
    expect(after).toMatchObject({ stock: 1, redeemedCount: 1, canRedeem: { ok: true } });

    const r2 = await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    expect(r2.pickupCode).not.toBe(r.pickupCode);
    expect(await balanceOf(VOLUNTEER)).toBe(15);
    await give(VOLUNTEER, 100);
    const gone = await h.call(VOLUNTEER, 'points', 'goodsDetail', { goodsId: g._id });
    expect(gone).toMatchObject({ stock: 0, redeemedCount: 2, canRedeem: { ok: false, reason: '已兑完' } });
    const snap = await snapshot();
    expect(await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: g._id })).toMatchObject({
      code: 'CONFLICT',
      message: '已兑完',
    });
    // Off sale: refused too.
    const off = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ name: '下架品', onSale: false }));
    const snap2 = await snapshot();
    expect((await h.fail(VOLUNTEER, 'points', 'redeem', { goodsId: off._id })).code).toBe('CONFLICT');
    expect(await snapshot()).toEqual(snap2);
    expect(snap.ledger).toEqual(snap2.ledger);

    const mine = await h.call(VOLUNTEER, 'points', 'myRedemptions', {});
    expect(mine.items.map((x) => x._id).sort()).toEqual([r._id, r2._id].sort());
    expect(mine.items.every((x) => x.openid === VOLUNTEER && x.pickupQr.startsWith('tongxin:pickup:'))).toBe(
      true,
    );
    expect((await h.call(VOLUNTEER, 'points', 'myRedemptions', { status: 'pickedUp' })).total).toBe(0);
    expect((await h.call(RESIDENT, 'points', 'myRedemptions', {})).total).toBe(0);
  });

  it('the owner cancels while awaiting pickup: points and stock come back, once', async () => {
    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ price: 20, stock: 1 }));
    await give(VOLUNTEER, 20);
    const r = await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    expect(await balanceOf(VOLUNTEER)).toBe(0);

    const before = await snapshot();
    // Someone else, or another community's worker, cannot cancel it.
    expect((await h.fail(RESIDENT, 'points', 'cancelRedemption', { redemptionId: r._id })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await h.fail(HEPING_WORKER, 'points', 'cancelRedemption', { redemptionId: r._id, reason: '库存错误' }))
        .code,
    ).toBe('FORBIDDEN');
    expect((await h.fail(VOLUNTEER, 'points', 'cancelRedemption', { redemptionId: 'nope' })).code).toBe(
      'NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);

    h.clock.advance(60_000);
    const cancelled = await h.call(VOLUNTEER, 'points', 'cancelRedemption', { redemptionId: r._id });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'self', cancelledAt: h.clock.now });
    expect(await balanceOf(VOLUNTEER)).toBe(20);
    expect(await h.call(VOLUNTEER, 'points', 'goodsDetail', { goodsId: g._id })).toMatchObject({
      stock: 1,
      redeemedCount: 0,
    });
    const refund = (await h.call(VOLUNTEER, 'points', 'ledger', { kind: 'adjusted' })).items;
    expect(refund).toEqual([
      expect.objectContaining({
        _id: `refund_${r._id}`,
        points: 20,
        reason: '取消兑换，积分退回',
        ref: { type: 'redemption', id: r._id },
      }),
    ]);

    const snap = await snapshot();
    const again = await h.fail(VOLUNTEER, 'points', 'cancelRedemption', { redemptionId: r._id });
    expect(again.code).toBe('CONFLICT');
    expect(
      (await h.fail(WORKER, 'points', 'cancelRedemption', { redemptionId: r._id, reason: '重复取消' })).code,
    ).toBe('CONFLICT');
    expect((await h.fail(WORKER, 'points', 'confirmPickup', { redemptionId: r._id })).code).toBe('CONFLICT');
    expect(await snapshot()).toEqual(snap);
  });

  it('a worker of the community may cancel with a reason', async () => {
    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ price: 10, stock: 3 }));
    await give(VOLUNTEER, 10);
    const r = await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
    const before = await snapshot();
    const noReason = await h.fail(WORKER, 'points', 'cancelRedemption', { redemptionId: r._id });
    expect(noReason).toMatchObject({ code: 'INVALID_INPUT', message: '请填写取消理由' });
    expect(await snapshot()).toEqual(before);
    const c = await h.call(WORKER, 'points', 'cancelRedemption', {
      redemptionId: r._id,
      reason: '商品已损坏',
    });
    expect(c).toMatchObject({ status: 'cancelled', cancelledBy: 'worker', cancelReason: '商品已损坏' });
    expect(await balanceOf(VOLUNTEER)).toBe(10);
    expect((await h.call(WORKER, 'points', 'goodsDetail', { goodsId: g._id })).stock).toBe(3);
  });
});

describe('pickup', () => {
  async function redeemed() {
    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ price: 15, stock: 5 }));
    await give(VOLUNTEER, 15);
    return h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id });
  }

  it('a worker finds the redemption by code or scanned QR and confirms it once', async () => {
    const r = await redeemed();
    const byCode = await h.call(WORKER, 'points', 'findPickup', { code: r.pickupCode });
    expect(byCode).toMatchObject({ _id: r._id, nickName: '张晓雨', status: 'awaitingPickup' });
    const byQr = await h.call(WORKER, 'points', 'findPickup', { code: r.pickupQr });
    expect(byQr._id).toBe(r._id);
    expect(
      await h.call(ADMIN, 'points', 'findPickup', { communityId: XFL, code: r.pickupCode }),
    ).toMatchObject({
      _id: r._id,
    });

    const before = await snapshot();
    expect((await h.fail(RESIDENT, 'points', 'findPickup', { code: r.pickupCode })).code).toBe('FORBIDDEN');
    expect((await h.fail(VOLUNTEER, 'points', 'confirmPickup', { redemptionId: r._id })).code).toBe(
      'FORBIDDEN',
    );
    // Another community's worker searches their own community and is refused this one.
    expect((await h.fail(HEPING_WORKER, 'points', 'findPickup', { code: r.pickupCode })).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await h.fail(HEPING_WORKER, 'points', 'findPickup', { communityId: XFL, code: r.pickupCode })).code,
    ).toBe('FORBIDDEN');
    expect((await h.fail(HEPING_WORKER, 'points', 'confirmPickup', { redemptionId: r._id })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(WORKER, 'points', 'findPickup', { code: '1234' })).code).toBe('INVALID_INPUT');
    const other = r.pickupCode === '00000000' ? '00000001' : '00000000';
    expect((await h.fail(WORKER, 'points', 'findPickup', { code: other })).code).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    h.clock.advance(3600_000);
    const done = await h.call(WORKER, 'points', 'confirmPickup', { redemptionId: r._id });
    expect(done).toMatchObject({ status: 'pickedUp', pickedUpAt: h.clock.now, nickName: '张晓雨' });
    expect(done).not.toHaveProperty('pickedUpBy');
    const audit = await all<AuditEntry>('audit_log');
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'pickupConfirmed',
        actor: WORKER,
        subject: VOLUNTEER,
        communityId: XFL,
      }),
    ]);

    const snap = await snapshot();
    expect((await h.fail(WORKER, 'points', 'confirmPickup', { redemptionId: r._id })).code).toBe('CONFLICT');
    // Picked up: the owner can no longer cancel.
    expect((await h.fail(VOLUNTEER, 'points', 'cancelRedemption', { redemptionId: r._id })).code).toBe(
      'CONFLICT',
    );
    expect(await snapshot()).toEqual(snap);
    // Looking the code up again shows it was picked up.
    expect((await h.call(WORKER, 'points', 'findPickup', { code: r.pickupCode })).status).toBe('pickedUp');
  });

  it('workers list their community’s redemptions by status, paged', async () => {
    const g = await h.call(WORKER, 'points', 'saveGoods', goodsInput({ price: 1, stock: 10 }));
    await give(VOLUNTEER, 10);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      ids.push((await h.call(VOLUNTEER, 'points', 'redeem', { goodsId: g._id }))._id);
    }
    await h.call(WORKER, 'points', 'confirmPickup', { redemptionId: ids[0]! });

    const awaiting = await h.call(WORKER, 'points', 'redemptions', { status: 'awaitingPickup' });
    expect(awaiting.items.map((r) => r._id)).toEqual([ids[2], ids[1]]);
    expect(awaiting.items[0]!.nickName).toBe('张晓雨');
    const page1 = await h.call(WORKER, 'points', 'redemptions', { pageSize: 2 });
    expect(page1.total).toBe(3);
    const page2 = await h.call(WORKER, 'points', 'redemptions', { pageSize: 2, cursor: page1.nextCursor });
    expect(page2.items.map((r) => r._id)).toEqual([ids[0]]);
    expect((await h.call(HEPING_WORKER, 'points', 'redemptions', {})).total).toBe(0);
    expect((await h.fail(HEPING_WORKER, 'points', 'redemptions', { communityId: XFL })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(VOLUNTEER, 'points', 'redemptions', {})).code).toBe('FORBIDDEN');
  });
});
