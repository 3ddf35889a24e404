import { act, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import ServicesPage from '../../miniprogram/src/packages/volunteer/services';
import ServicePage from '../../miniprogram/src/packages/volunteer/service';
import { meView } from './fixtures';
import { byId, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { page, serviceDetail, serviceSummary, session } from './volunteerFixtures';
import { setRouterParams, triggerPullDownRefresh, triggerReachBottom } from './__mocks__/taro';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

type Mutable = { getLocation?: jest.Mock };
const taro = Taro as unknown as Mutable;

beforeEach(() => resetSession());
afterEach(() => {
  delete taro.getLocation;
});

describe('service listings', () => {
  function listHandler(over: (d: RequestOf<'volunteer', 'listServices'>) => unknown = () => undefined) {
    return (d: RequestOf<'volunteer', 'listServices'>) =>
      over(d) ??
      (d.cursor
        ? page([serviceSummary({ _id: 's3', title: '社区清洁', category: '环境保护' })])
        : page(
            [
              serviceSummary(),
              serviceSummary({ _id: 's2', title: '垃圾分类指导', post: '督导员', review: false }),
            ],
            'next',
          ));
  }

  test('lists services for the current community, filters by category and date, loads more', async () => {
    setHandlers({ 'user.me': () => meView(), 'volunteer.listServices': listHandler() });
    render(<ServicesPage />);
    const card = await findById('service-s1');
    expect(card).toHaveTextContent('敬老助餐 · 送餐员');
    expect(card).toHaveTextContent('需审核');
    expect(card).toHaveTextContent('每场 2 小时 · 3/4 场可报名');
    expect(byId('service-s2')).not.toHaveTextContent('需审核');
    expect(callsTo('volunteer', 'listServices')[0]).toEqual({
      communityId: 'c1',
      sort: 'soon',
      pageSize: 10,
    });

    await act(async () => {
      triggerReachBottom();
    });
    await findById('service-s3');
    expect(callsTo('volunteer', 'listServices')[1]).toMatchObject({ cursor: 'next' });

    await tap('svc-cat-环境保护');
    await waitFor(() =>
      expect(callsTo('volunteer', 'listServices').at(-1)).toEqual({
        communityId: 'c1',
        category: '环境保护',
        sort: 'soon',
        pageSize: 10,
      }),
    );
    await tap('svc-date-today');
    await waitFor(() =>
      expect(callsTo('volunteer', 'listServices').at(-1)).toMatchObject({
        category: '环境保护',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      }),
    );

    const before = callsTo('volunteer', 'listServices').length;
    await act(async () => {
      triggerPullDownRefresh();
    });
    await waitFor(() => expect(callsTo('volunteer', 'listServices').length).toBe(before + 1));
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled();
  });

  test('离我最近 sends the position and sorts by distance', async () => {
    taro.getLocation = jest.fn(() => Promise.resolve({ latitude: 31.23, longitude: 121.47 }));
    setHandlers({
      'user.me': () => meView(),
      'volunteer.listServices': listHandler((d) =>
        d.near ? page([serviceSummary({ distanceMeters: 1234 })]) : undefined,
      ),
    });
    render(<ServicesPage />);
    await findById('service-s2');
    await tap('svc-near');
    await waitFor(() =>
      expect(callsTo('volunteer', 'listServices').at(-1)).toMatchObject({
        near: { lat: 31.23, lng: 121.47 },
        sort: 'distance',
      }),
    );
    await waitFor(() => expect(byId('service-s1')).toHaveTextContent('距你 1.2 公里'));
    expect(byId('svc-near')).toHaveAttribute('aria-pressed', 'true');
  });

  test('a refused location keeps the time order and says so', async () => {
    taro.getLocation = jest.fn(() => Promise.reject({ errMsg: 'getLocation:fail auth deny' }));
    setHandlers({ 'user.me': () => meView(), 'volunteer.listServices': listHandler() });
    render(<ServicesPage />);
    await findById('service-s1');
    const calls = callsTo('volunteer', 'listServices').length;
    await tap('svc-near');
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '未获得位置授权，已按开始时间排序' }),
    );
    expect(callsTo('volunteer', 'listServices')).toHaveLength(calls);
    expect(byId('svc-near')).toHaveAttribute('aria-pressed', 'false');
    expect(byId('service-s1')).toBeInTheDocument();
  });

  test('an empty filtered list offers to clear the filters', async () => {
    setHandlers({
      'user.me': () => meView(),
      'volunteer.listServices': (d: RequestOf<'volunteer', 'listServices'>) =>
        d.category ? page([]) : page([serviceSummary()]),
    });
    render(<ServicesPage />);
    await findById('service-s1');
    await tap('svc-cat-应急救援');
    await screen.findByText('没有符合条件的志愿服务');
    await tap('empty-state-action');
    await findById('service-s1');
    expect(callsTo('volunteer', 'listServices').at(-1)).not.toHaveProperty('category');
  });
});

describe('service detail', () => {
  beforeEach(() => setRouterParams({ id: 's1' }));

  test('applying to a session that needs review goes through activity.signUp and shows 待审核', async () => {
    let applied = false;
    setHandlers({
      'volunteer.serviceDetail': () =>
        serviceDetail(
          applied ? { sessions: [session({ mySignUp: 'pending' }), serviceDetail().sessions[1]] } : {},
        ),
      'activity.signUp': () => {
        applied = true;
        return { status: 'pending', confirmedCount: 2, alreadySignedUp: false };
      },
    });
    render(<ServicePage />);
    expect(await findById('svc-fact-review')).toHaveTextContent('报名后需社区审核');
    expect(byId('session-a1-mine')).toBeNull();
    const apply = byId('session-a1-apply')!;
    expect(apply).toHaveTextContent('申请报名');

    await tap('session-a1-apply');
    await waitFor(() => expect(callsTo('activity', 'signUp')).toEqual([{ activityId: 'a1' }]));
    await waitFor(() => expect(byId('session-a1-mine')).toHaveTextContent('待审核'));
    expect(byId('session-a1-apply')).toBeNull();
    expect(byId('session-a1-cancel')).toHaveTextContent('撤回申请');
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交申请，等待审核' }));
    // The other session is untouched.
    expect(byId('session-a2-apply')).toBeInTheDocument();
  });

  test('取消报名 asks first, then calls activity.cancelSignUp', async () => {
    setHandlers({
      'volunteer.serviceDetail': () =>
        serviceDetail({ review: false, sessions: [session({ mySignUp: 'confirmed' })] }),
      'activity.cancelSignUp': () => ({ status: 'cancelled' }),
    });
    render(<ServicePage />);
    expect(await findById('session-a1-mine')).toHaveTextContent('已报名');
    await tap('session-a1-cancel');
    expect(await findById('confirm-dialog-text')).toHaveTextContent('名额会让给其他志愿者');
    await tap('confirm-dialog-cancel');
    expect(callsTo('activity', 'cancelSignUp')).toHaveLength(0);

    await tap('session-a1-cancel');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(callsTo('activity', 'cancelSignUp')).toEqual([{ activityId: 'a1' }]));
  });

  test('a session opens its activity detail', async () => {
    setHandlers({ 'volunteer.serviceDetail': () => serviceDetail() });
    render(<ServicePage />);
    await tap((await findById('session-a2-open')).id);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activity/detail?id=a2' });
  });
});
