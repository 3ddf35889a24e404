import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import MallPage from '../../miniprogram/src/packages/volunteer/mall';
import RedemptionsPage from '../../miniprogram/src/packages/volunteer/redemptions';
import { meView } from './fixtures';
import { byId, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { goods, page, pointsSummary, redemption } from './volunteerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => resetSession());

test('goods show price, stock and why 兑换 is disabled; redeeming asks first and shows the pickup code', async () => {
  let balance = 50;
  setHandlers({
    'user.me': () => meView(),
    'points.summary': () => pointsSummary({ balance }),
    'points.listGoods': () =>
      page([
        goods({ canRedeem: balance >= 30 ? { ok: true } : { ok: false, reason: '积分不足，还差 10 分' } }),
        goods({
          _id: 'g2',
          name: '电饭煲',
          price: 500,
          stock: 1,
          canRedeem: { ok: false, reason: '积分不足，还差 450 分' },
        }),
        goods({ _id: 'g3', name: '雨伞', stock: 0, canRedeem: { ok: false, reason: '已兑完' } }),
      ]),
    'points.redeem': (d: RequestOf<'points', 'redeem'>) => {
      balance -= 30;
      return redemption({ goodsId: d.goodsId });
    },
  });
  render(<MallPage />);
  expect(await findById('goods-g1-price')).toHaveTextContent('30 积分');
  await waitFor(() => expect(byId('mall-balance-value')).toHaveTextContent('50'));
  expect(byId('goods-g1-stock')).toHaveTextContent('库存 10 件');
  expect(byId('goods-g3-stock')).toHaveTextContent('已兑完');
  expect(callsTo('points', 'listGoods')[0]).toEqual({ communityId: 'c1', pageSize: 20 });

  // Disabled with the reason from canRedeem, and tapping does nothing.
  expect(byId('goods-g2-reason')).toHaveTextContent('积分不足，还差 450 分');
  expect(byId('goods-g2-redeem')).toHaveClass('nut-button-disabled');
  expect(byId('goods-g2-redeem')).toHaveAttribute('aria-disabled', 'true');
  await tap('goods-g2-redeem');
  expect(byId('confirm-dialog')).toBeNull();
  expect(byId('goods-g1-reason')).toBeNull();
  expect(byId('goods-g1-redeem')).not.toHaveClass('nut-button-disabled');

  // Asks first; 再想想 sends nothing.
  await tap('goods-g1-redeem');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('用 30 积分兑换「环保购物袋」');
  await tap('confirm-dialog-cancel');
  expect(callsTo('points', 'redeem')).toHaveLength(0);

  await tap('goods-g1-redeem');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('points', 'redeem')).toEqual([{ goodsId: 'g1' }]));
  expect(await findById('redeem-pickup-code')).toHaveTextContent('12345678');
  // Balance and goods are refreshed: now 20 points, so g1 is disabled with its reason.
  await waitFor(() => expect(byId('mall-balance-value')).toHaveTextContent('20'));
  await waitFor(() => expect(byId('goods-g1-reason')).toHaveTextContent('积分不足，还差 10 分'));

  await tap('redeem-success-list');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/redemptions' });
});

test('my redemptions: status tabs, pickup code and QR, 取消兑换 with confirmation', async () => {
  let cancelled = false;
  setHandlers({
    'points.myRedemptions': (d: RequestOf<'points', 'myRedemptions'>) =>
      d.status === 'awaitingPickup'
        ? page(cancelled ? [] : [redemption()])
        : page([
            redemption({ status: cancelled ? 'cancelled' : 'awaitingPickup', cancelledBy: 'self' }),
            redemption({ _id: 'r2', goodsName: '雨伞', status: 'pickedUp', pickedUpAt: Date.now() }),
          ]),
    'points.cancelRedemption': () => {
      cancelled = true;
      return redemption({ status: 'cancelled' });
    },
  });
  render(<RedemptionsPage />);
  expect(await findById('redemption-r1-code')).toHaveTextContent('12345678');
  expect(callsTo('points', 'myRedemptions')[0]).toEqual({ status: 'awaitingPickup', pageSize: 20 });
  await tap('redemption-r1-qr');
  expect(document.querySelector('[data-qr="tongxin:pickup:12345678"]')).not.toBeNull();

  await tap('redemption-r1-cancel');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('30 积分退回你的账户');
  await tap('confirm-dialog-ok');
  await waitFor(() => expect(callsTo('points', 'cancelRedemption')).toEqual([{ redemptionId: 'r1' }]));
  await findById('redemptions-empty');

  await tap('redemption-tab-all');
  expect(await findById('redemption-r2-status')).toHaveTextContent('已领取');
  expect(byId('redemption-r1-status')).toHaveTextContent('已取消');
  expect(byId('redemption-r1-cancel')).toBeNull();
  expect(callsTo('points', 'myRedemptions').at(-1)).toEqual({ pageSize: 20 });
});
