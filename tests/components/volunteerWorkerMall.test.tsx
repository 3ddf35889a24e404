import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import type { GoodsView } from '../../types/points';
import { resetSession } from '../../miniprogram/src/store/session';
import GoodsPage from '../../miniprogram/src/packages/worker/goods';
import PickupPage from '../../miniprogram/src/packages/worker/pickup';
import { START, meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { byId, emit, findById, goods, redemption, tap } from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

/** The Taro test double has no scanCode; the pickup page calls it. */
const scanCode = jest.fn();
(Taro as unknown as { scanCode: jest.Mock }).scanCode = scanCode;

const ME = () => meView([{ role: 'worker', communityId: 'c1' }]);

beforeEach(() => {
  resetSession();
  scanCode.mockReset();
});

describe('积分商品', () => {
  function serve() {
    let items: GoodsView[] = [goods(), goods({ _id: 'g2', name: '毛巾', onSale: false, stock: 0 })];
    setHandlers({
      'user.me': ME,
      'points.listGoods': () => ({ items, total: items.length }),
      'points.saveGoods': (d: RequestOf<'points', 'saveGoods'>) => {
        const saved = goods({ ...d, _id: d.goodsId ?? 'g3' });
        items = d.goodsId ? items.map((g) => (g._id === d.goodsId ? saved : g)) : [saved, ...items];
        return saved;
      },
    });
  }

  test('lists all goods with price, stock and sale state', async () => {
    serve();
    render(<GoodsPage />);
    const g1 = await findById('goods-g1');
    expect(callsTo('points', 'listGoods')[0]).toEqual({
      communityId: 'c1',
      includeOffSale: true,
      pageSize: 20,
    });
    expect(g1).toHaveTextContent('上架中');
    expect(byId('goods-g1-price')).toHaveTextContent('20 分');
    expect(byId('goods-g1-stock')).toHaveTextContent('8 件');
    expect(byId('goods-g2')).toHaveTextContent('已下架');
    expect(byId('goods-g2-stock')).toHaveTextContent('已兑完');
  });

  test('adds a goods item after validating it, and edits one', async () => {
    serve();
    render(<GoodsPage />);
    await findById('goods-g1');
    await tap('add-goods');
    await tap('goods-save');
    expect(byId('goods-name-error')).toHaveTextContent('请填写商品名称');
    expect(byId('goods-price-error')).toHaveTextContent('积分价格');
    expect(byId('goods-stock-error')).toHaveTextContent('库存');
    expect(callsTo('points', 'saveGoods')).toHaveLength(0);

    await emit('goods-name', ' 环保水杯 ');
    await emit('goods-description', '不锈钢，500 毫升');
    await emit('goods-price', '0');
    await emit('goods-stock', '10');
    await tap('goods-save');
    expect(byId('goods-price-error')).toHaveTextContent('至少 1 分');
    await emit('goods-price', '50');
    await tap('goods-on-sale');
    await tap('goods-save');
    await waitFor(() =>
      expect(callsTo('points', 'saveGoods')).toEqual([
        {
          communityId: 'c1',
          name: '环保水杯',
          description: '不锈钢，500 毫升',
          price: 50,
          stock: 10,
          onSale: false,
        },
      ]),
    );
    // Back to the list, reloaded with the new item.
    await waitFor(() => expect(byId('goods-g3')).toHaveTextContent('环保水杯'));

    // Editing never sends back the stock it loaded: it shows it and sends only a change.
    await tap('edit-goods-g1');
    expect((byId('goods-name') as HTMLInputElement).value).toBe('环保购物袋');
    expect(byId('goods-current-stock')).toHaveTextContent('当前库存 8 件');
    expect(document.getElementById('goods-stock')).toBeNull();
    await emit('goods-description', '帆布材质，可折叠');
    await tap('goods-save');
    await waitFor(() => expect(callsTo('points', 'saveGoods')).toHaveLength(2));
    expect(callsTo('points', 'saveGoods')[1]).toEqual({
      goodsId: 'g1',
      communityId: 'c1',
      name: '环保购物袋',
      description: '帆布材质，可折叠',
      price: 20,
      onSale: true,
    });

    await waitFor(() => expect(byId('edit-goods-g1')).toBeInTheDocument());
    await tap('edit-goods-g1');
    await tap('goods-stock-mode-remove');
    await emit('goods-stock-change', '9');
    await tap('goods-save');
    expect(byId('goods-stock-change-error')).toHaveTextContent('库存只剩 8 件，不能减少 9 件');
    expect(callsTo('points', 'saveGoods')).toHaveLength(2);
    await emit('goods-stock-change', '3');
    await tap('goods-save');
    await waitFor(() => expect(callsTo('points', 'saveGoods')).toHaveLength(3));
    expect(callsTo('points', 'saveGoods')[2]).toMatchObject({ goodsId: 'g1', stockDelta: -3 });
    expect(callsTo('points', 'saveGoods')[2]).not.toHaveProperty('stock');

    await waitFor(() => expect(byId('edit-goods-g1')).toBeInTheDocument());
    await tap('edit-goods-g1');
    await emit('goods-stock-change', '12');
    await tap('goods-save');
    await waitFor(() => expect(callsTo('points', 'saveGoods')).toHaveLength(4));
    expect(callsTo('points', 'saveGoods')[3]).toMatchObject({ goodsId: 'g1', stockDelta: 12 });
  });

  test('an empty mall offers to add the first item', async () => {
    setHandlers({ 'user.me': ME, 'points.listGoods': () => ({ items: [], total: 0 }) });
    render(<GoodsPage />);
    expect(await findById('goods-empty')).toHaveTextContent('积分超市还没有商品');
    await tap('goods-empty-action');
    expect(await findById('goods-name')).toBeInTheDocument();
  });

  test('redemptions by status; cancelling needs a reason and says points and stock go back', async () => {
    setHandlers({
      'user.me': ME,
      'points.listGoods': () => ({ items: [], total: 0 }),
      'points.redemptions': (d: RequestOf<'points', 'redemptions'>) =>
        d.status === 'awaitingPickup'
          ? { items: [redemption()], total: 1 }
          : { items: [redemption({ _id: 'r9', status: 'pickedUp', pickedUpAt: START })], total: 1 },
      'points.cancelRedemption': (d: RequestOf<'points', 'cancelRedemption'>) =>
        redemption({ status: 'cancelled', cancelReason: d.reason }),
    });
    render(<GoodsPage />);
    await tap((await findById('goods-tab-redemptions')).id);
    const card = await findById('redemption-r1');
    expect(callsTo('points', 'redemptions')[0]).toEqual({
      communityId: 'c1',
      status: 'awaitingPickup',
      pageSize: 20,
    });
    expect(card).toHaveTextContent('小李');
    expect(card).toHaveTextContent('待领取');

    await tap('cancel-redemption-r1');
    expect(byId('cancel-redemption-notice')).toHaveTextContent('20 积分退回对方，库存加回 1 件');
    await tap('cancel-redemption-submit');
    expect(byId('action-dialog-error')).toHaveTextContent('请填写取消理由');
    expect(callsTo('points', 'cancelRedemption')).toHaveLength(0);
    await emit('action-text', '商品已停产');
    await tap('cancel-redemption-submit');
    await waitFor(() =>
      expect(callsTo('points', 'cancelRedemption')).toEqual([{ redemptionId: 'r1', reason: '商品已停产' }]),
    );
    await waitFor(() => expect(byId('cancel-redemption-submit')).toBeNull());

    await tap('redemptions-status-pickedUp');
    await waitFor(() => expect(byId('redemption-r9')).toHaveTextContent('已领取'));
    expect(byId('cancel-redemption-r9')).toBeNull();
  });
});

describe('取货核销', () => {
  test('type a code → find → confirm after asking → picked up', async () => {
    let status: 'awaitingPickup' | 'pickedUp' = 'awaitingPickup';
    setHandlers({
      'user.me': ME,
      'points.findPickup': () => redemption({ status }),
      'points.confirmPickup': () => {
        status = 'pickedUp';
        return redemption({ status, pickedUpAt: START });
      },
    });
    render(<PickupPage />);
    await findById('pickup-code');
    await emit('pickup-code', '1234');
    await tap('pickup-find');
    expect(byId('pickup-code-error')).toHaveTextContent('请输入 8 位数字取货码');
    expect(callsTo('points', 'findPickup')).toHaveLength(0);

    await emit('pickup-code', '12345678');
    await tap('pickup-find');
    expect(callsTo('points', 'findPickup')).toEqual([{ communityId: 'c1', code: '12345678' }]);
    const result = await findById('pickup-result');
    expect(result).toHaveTextContent('环保购物袋');
    expect(byId('pickup-nickname')).toHaveTextContent('小李');
    expect(byId('pickup-status')).toHaveTextContent('待领取');

    // Asked first; 再想想 sends nothing.
    await tap('pickup-confirm');
    expect(await findById('confirm-dialog-text')).toHaveTextContent('确认已把「环保购物袋」交给 小李');
    await tap('confirm-dialog-cancel');
    expect(callsTo('points', 'confirmPickup')).toHaveLength(0);

    await tap('pickup-confirm');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(callsTo('points', 'confirmPickup')).toEqual([{ redemptionId: 'r1' }]));
    expect(await findById('pickup-done')).toHaveTextContent('已发放');
    expect(byId('pickup-status')).toHaveTextContent('已领取');
    expect(byId('pickup-confirm')).toBeNull();

    // Looking the same code up again: already picked up, nothing to hand out.
    await tap('pickup-next');
    await emit('pickup-code', '12345678');
    await tap('pickup-find');
    expect(await findById('pickup-already')).toHaveTextContent('请勿重复发放');
    expect(byId('pickup-confirm')).toBeNull();
  });

  test('an unknown code shows the server’s message', async () => {
    const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
    setHandlers({
      'user.me': ME,
      'points.findPickup': () => {
        throw new ApiCallError({ code: 'NOT_FOUND', message: '取货码无效，请核对后重试' });
      },
    });
    render(<PickupPage />);
    await findById('pickup-code');
    await emit('pickup-code', '99999999');
    await tap('pickup-find');
    expect(await findById('pickup-error')).toHaveTextContent('取货码无效，请核对后重试');
    expect(byId('pickup-error')).toHaveAttribute('role', 'alert');
    expect(byId('pickup-result')).toBeNull();
  });

  test('scanning reads the code from the QR payload; other codes are refused', async () => {
    setHandlers({ 'user.me': ME, 'points.findPickup': () => redemption({ pickupCode: '87654321' }) });
    render(<PickupPage />);
    await findById('pickup-scan');
    scanCode.mockResolvedValueOnce({ result: 'https://example.com/whatever' });
    await tap('pickup-scan');
    expect(await findById('pickup-error')).toHaveTextContent('这不是同心圆的取货码');
    expect(callsTo('points', 'findPickup')).toHaveLength(0);

    scanCode.mockResolvedValueOnce({ result: 'tongxin:pickup:87654321' });
    await tap('pickup-scan');
    await waitFor(() =>
      expect(callsTo('points', 'findPickup')).toEqual([{ communityId: 'c1', code: '87654321' }]),
    );
    expect(await findById('pickup-result')).toHaveTextContent('87654321');
    expect(byId('pickup-error')).toBeNull();

    // Closing the scanner is not an error.
    scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' });
    await tap('pickup-scan');
    expect(byId('pickup-error')).toBeNull();
  });
});
