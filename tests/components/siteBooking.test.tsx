import Taro from '@tarojs/taro';
import SiteDetailPage, { nextRange } from '../../miniprogram/src/packages/sites/detail';
import MyBookingsPage from '../../miniprogram/src/packages/sites/mine';
import ManageBookingsPage from '../../miniprogram/src/packages/sites/manage';
import { render, waitFor } from '@testing-library/react';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import type { BookingView, DaySlot, SiteDetail } from '../../types/sites';
import { byId, emit, findById, tap } from './dom';
import { meView } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const hours = Array.from({ length: 7 }, () => [{ open: '09:00', close: '11:00' }]);
const slots = (taken: string[] = []): DaySlot[] =>
  ['09:00', '09:30', '10:00', '10:30'].map((start, i, all) => ({
    start,
    end: all[i + 1] ?? '11:00',
    free: !taken.includes(start),
    past: false,
  }));

function detail(over: Partial<SiteDetail> = {}): SiteDetail {
  return {
    site: {
      _id: 's1',
      kind: 'center',
      communityIds: ['c1'],
      communityId: 'c1',
      name: '幸福里党群服务中心',
      address: '幸福路 88 号',
      lat: 28.19,
      lng: 112.98,
      capacity: 20,
      facilities: ['投影'],
      hours,
      approval: true,
      maxHours: 3,
      status: 'open',
      createdAt: 0,
      updatedAt: 0,
      hoursText: hours.map((_, i) => `周${'日一二三四五六'[i]} 9:00–11:00`),
      canManage: false,
    },
    date: '2026-11-23',
    dates: ['2026-11-23', '2026-11-24'],
    slots: slots(['10:30']),
    ...over,
  };
}

function booking(over: Partial<BookingView> = {}): BookingView {
  return {
    _id: 'b1',
    siteId: 's1',
    siteName: '幸福里党群服务中心',
    siteKind: 'center',
    communityId: 'c1',
    bookerName: '张阿姨',
    date: '2026-11-23',
    start: '09:00',
    end: '10:00',
    startAt: 0,
    endAt: 0,
    slots: ['09:00', '09:30'],
    people: 8,
    purpose: '楼栋议事会',
    status: 'pending',
    createdAt: 0,
    updatedAt: 0,
    mine: true,
    canCancel: true,
    canManage: false,
    ...over,
  };
}

beforeEach(() => {
  resetSession();
  jest.clearAllMocks();
});

test('nextRange: a start tap, then an end tap extends over free slots only', () => {
  const s = slots(['10:00']);
  expect(nextRange(null, 0, s)).toEqual({ from: 0, to: 0 });
  expect(nextRange({ from: 0, to: 0 }, 1, s)).toEqual({ from: 0, to: 1 });
  expect(nextRange({ from: 0, to: 0 }, 3, s)).toEqual({ from: 3, to: 3 }); // 10:00 is taken in between
  expect(nextRange({ from: 0, to: 1 }, 2, s)).toEqual({ from: 0, to: 1 }); // a taken slot does nothing
});

test('阵地详情: picks a day and a range of slots, asks for confirmation, then books', async () => {
  setRouterParams({ id: 's1' });
  setHandlers({
    'user.me': () => meView(),
    'sites.detail': (d: { date?: string }) => detail(d.date ? { date: d.date } : {}),
    'sites.book': () => booking(),
  });
  render(<SiteDetailPage />);
  expect(await findById('site-hours')).toHaveTextContent('周一 9:00–11:00');
  expect(byId('slot-1030')).toHaveTextContent('已约');
  expect(byId('slot-1030')).toHaveAttribute('aria-disabled', 'true');

  // Nothing chosen: inline errors, nothing sent.
  await tap('site-book');
  expect(byId('site-slots-error')).toHaveTextContent('请在上方选择时段');
  expect(callsTo('sites', 'book')).toEqual([]);

  await tap('site-day-2026-11-24');
  await waitFor(() =>
    expect(callsTo('sites', 'detail').at(-1)).toEqual({ siteId: 's1', date: '2026-11-24' }),
  );
  await findById('slot-0900');
  await tap('slot-0900');
  await tap('slot-0930');
  expect(byId('site-chosen')).toHaveTextContent('09:00–10:00');
  await emit('site-people-input', '8');
  await emit('site-purpose-input', '楼栋议事会');
  await tap('site-book');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('提交后需管理员审核');
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('sites', 'book')).toEqual([
      { siteId: 's1', date: '2026-11-24', start: '09:00', end: '10:00', people: 8, purpose: '楼栋议事会' },
    ]),
  );
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交，等待审核' }));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/sites/mine' });
});

test('阵地详情: a slot taken meanwhile shows the server’s CONFLICT message and reloads the day', async () => {
  setRouterParams({ id: 's1' });
  setHandlers({
    'user.me': () => meView(),
    'sites.detail': () => detail(),
    'sites.book': () => {
      throw new ApiCallError({ code: 'CONFLICT', message: '09:00 起的时段已被预约，请选择其他时段' });
    },
  });
  render(<SiteDetailPage />);
  await tap((await findById('slot-0900')).id);
  await emit('site-people-input', '3');
  await emit('site-purpose-input', '读书会');
  await tap('site-book');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() =>
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '09:00 起的时段已被预约，请选择其他时段' }),
    ),
  );
  await waitFor(() => expect(callsTo('sites', 'detail')).toHaveLength(2));
});

test('我的预约: shows the code, cancels only after confirmation', async () => {
  setHandlers({
    'user.me': () => meView(),
    'sites.myBookings': () => ({ items: [booking({ status: 'confirmed', code: '123456' })], total: 1 }),
    'sites.cancel': () => booking({ status: 'cancelled' }),
  });
  render(<MyBookingsPage />);
  expect(await findById('booking-b1-code')).toHaveTextContent('123456');
  expect(byId('booking-b1-status')).toHaveTextContent('已预约');
  await tap('booking-b1-cancel');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('取消后时段将释放给其他人');
  await tap('confirm-dialog-cancel');
  expect(callsTo('sites', 'cancel')).toEqual([]);
  await tap('booking-b1-cancel');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('sites', 'cancel')).toEqual([{ bookingId: 'b1' }]));
});

test('预约管理: a worker approves after confirming, and checks in with the code', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'sites.managed': (d: { status?: string }) => ({
      items: [booking({ status: d.status as BookingView['status'], mine: false, canManage: true })],
      total: 1,
    }),
    'sites.review': () => booking({ status: 'confirmed' }),
    'sites.checkIn': () => booking({ status: 'checkedIn' }),
  });
  render(<ManageBookingsPage />);
  await findById('booking-b1-approve');
  expect(callsTo('sites', 'managed')[0]).toEqual({ communityId: 'c1', status: 'pending', pageSize: 50 });
  await tap('booking-b1-approve');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('sites', 'review')).toEqual([{ bookingId: 'b1', approve: true }]));

  await tap('manage-tab-confirmed');
  await tap((await findById('booking-b1-code')).id);
  await emit('manage-code-input', '12');
  await tap('action-dialog-submit');
  expect(await findById('action-dialog-error')).toHaveTextContent('请输入 6 位签到码');
  expect(callsTo('sites', 'checkIn')).toEqual([]);
  await emit('manage-code-input', '654321');
  await tap('action-dialog-submit');
  await waitFor(() => expect(callsTo('sites', 'checkIn')).toEqual([{ bookingId: 'b1', code: '654321' }]));
});

describe('in WeChat: the subscribe prompt for the booking messages', () => {
  const env = process.env.TARO_ENV;
  const ask = Taro.requestSubscribeMessage as unknown as jest.Mock;
  let steps: string[] = [];
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
    steps = [];
    ask.mockImplementation((opts: { tmplIds: string[] }) => {
      steps.push(`ask:${opts.tmplIds.join(',')}`);
      return Promise.resolve(Object.fromEntries(opts.tmplIds.map((id) => [id, 'accept'])));
    });
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
    ask.mockReset();
  });
  const templates = (kind: string, templateId: string) => () => ({
    templates: [{ kind, templateId, label: kind }],
  });

  test('阵地详情 asks for bookingStatus in the 提交预约 tap, before booking, and reports the answer', async () => {
    setRouterParams({ id: 's1' });
    setHandlers({
      'user.me': () => meView(),
      'sites.detail': () => detail(),
      'notify.templates': templates('bookingStatus', 'tmpl-booking'),
      'notify.subscribe': () => ({ quotas: [] }),
      'sites.book': () => {
        steps.push('book');
        return booking();
      },
    });
    render(<SiteDetailPage />);
    await tap((await findById('slot-0900')).id);
    await waitFor(() => expect(callsTo('notify', 'templates')).toEqual([{ scene: 'siteBooking' }]));
    await emit('site-people-input', '3');
    await emit('site-purpose-input', '读书会');
    await tap('site-book');
    expect(steps).toEqual(['ask:tmpl-booking']);
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(steps).toEqual(['ask:tmpl-booking', 'book']));
    await waitFor(() =>
      expect(callsTo('notify', 'subscribe')).toEqual([
        { scene: 'siteBooking', results: { 'tmpl-booking': 'accept' } },
      ]),
    );
  });

  test('预约管理 asks for bookingTask when the manager approves', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'sites.managed': () => ({ items: [booking({ mine: false, canManage: true })], total: 1 }),
      'notify.templates': templates('bookingTask', 'tmpl-task'),
      'notify.subscribe': () => ({ quotas: [] }),
      'sites.review': () => {
        steps.push('review');
        return booking({ status: 'confirmed' });
      },
    });
    render(<ManageBookingsPage />);
    await findById('booking-b1-approve');
    await waitFor(() => expect(callsTo('notify', 'templates')).toEqual([{ scene: 'siteManage' }]));
    await tap('booking-b1-approve');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(steps).toEqual(['ask:tmpl-task', 'review']));
  });
});
