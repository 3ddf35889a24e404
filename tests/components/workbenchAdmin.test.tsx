/** 工作台 (today's to-dos), the 报名名单 default tab and the street admin pages. */
import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { StaffMember, WorkbenchView } from '../../types/admin';
import type { CommunitiesView, Participant, RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import Workbench from '../../miniprogram/src/packages/worker/workbench';
import Participants from '../../miniprogram/src/packages/worker/participants';
import AdminHome from '../../miniprogram/src/packages/admin/index';
import AdminCommunity from '../../miniprogram/src/packages/admin/community';
import AdminStaff from '../../miniprogram/src/packages/admin/staff';
import { meView, START } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import { byId, emit, findById, tap } from './dom';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const counts = (over: Partial<WorkbenchView['counts']> = {}): WorkbenchView['counts'] => ({
  registrations: 0,
  signUps: 0,
  claims: 0,
  reports: 0,
  proposals: 0,
  grievancesNew: 0,
  grievancesDueToday: 0,
  grievancesOverdue: 0,
  makeups: 0,
  corrections: 0,
  ...over,
});

const directory = (): CommunitiesView => ({
  communities: meView().communities,
  units: [],
  sites: [
    {
      _id: 's1',
      communityId: 'c1',
      name: '幸福里党群服务中心',
      address: '幸福路 1 号',
      lat: 28.19,
      lng: 112.98,
      openingHours: '9:00–17:00',
      facilities: ['活动室'],
      contact: '0731-1',
    },
  ],
});

beforeEach(() => {
  resetSession();
  setRouterParams({});
});

describe('工作台', () => {
  test('shows what waits first with its count, each opening its tool, then the tools', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'user.workbench': (): WorkbenchView => ({
        communityId: 'c1',
        counts: counts({ signUps: 3, grievancesOverdue: 1, reports: 2 }),
        firstPendingActivityId: 'a 9',
        at: START,
      }),
    });
    render(<Workbench />);
    expect(await findById('workbench-summary')).toHaveTextContent('共 6 项待办');
    expect(byId('todo-signUps-count')).toHaveTextContent('3');
    expect(byId('todo-grievancesOverdue-count')).toHaveTextContent('1');
    expect(byId('todo-claims-count')).toHaveTextContent('0');
    // Waiting items come before the empty ones.
    const order = [...document.querySelectorAll('.todo')].map((e) => e.id);
    expect(order.slice(0, 3)).toEqual(['todo-grievancesOverdue', 'todo-signUps', 'todo-reports']);
    expect(byId('todo-claims')!.className).toContain('todo--done');
    await waitFor(() => expect(document.body).toHaveTextContent('工作台 · 幸福里社区'));

    await tap('todo-signUps');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({
      url: '/packages/worker/participants?id=a%209&tab=pending',
    });
    await tap('todo-reports');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/alliance?tab=reports' });
    await tap('todo-grievancesOverdue');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/grievances' });
    await tap('tool-pickup');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/pickup' });
    expect(byId('tool-admin')).toBeNull();
    expect(callsTo('user', 'workbench')).toEqual([{}]);
  });

  test('nothing waiting says so; admins also get 街道管理; errors offer a retry', async () => {
    let fail = true;
    setHandlers({
      'user.me': () => meView([{ role: 'admin' }]),
      'user.workbench': (): WorkbenchView => {
        if (fail) throw new Error('网络不稳定，请重试');
        return { communityId: 'c1', counts: counts(), at: START };
      },
    });
    render(<Workbench />);
    await waitFor(() => expect(byId('workbench-todos')).toHaveTextContent('重试'));
    fail = false;
    const retry = [...byId('workbench-todos')!.querySelectorAll('[id]')].find((e) => /retry/.test(e.id));
    await tap(retry!.id);
    expect(await findById('workbench-summary')).toHaveTextContent('今天没有待办事项');
    expect(await findById('tool-admin')).toBeInTheDocument();
    await tap('tool-admin');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/admin/index' });
  });
});

describe('报名名单 default tab', () => {
  const people: Participant[] = [
    { openid: 'p1', nickName: '小李', status: 'pending', signedUpAt: START },
    { openid: 'p2', nickName: '老王', status: 'confirmed', signedUpAt: START },
  ];
  const serve = (pending: number) =>
    setHandlers({
      'user.pendingSignUps': () => ({ pending }),
      'activity.participants': (d: RequestOf<'activity', 'participants'>) => {
        const items = people.filter((p) => p.status === d.status);
        return { items, total: items.length };
      },
    });

  test('opens on 待审核 when applications wait, with the count on the tab', async () => {
    serve(1);
    setRouterParams({ id: 'a1' });
    render(<Participants />);
    await findById('participant-p1');
    expect(byId('participants-tab-pending')).toHaveAttribute('aria-selected', 'true');
    expect(byId('participants-tab-pending')).toHaveTextContent('待审核 1');
    expect(callsTo('activity', 'participants').map((d) => d.status)).toEqual(['pending']);
  });

  test('opens on 已报名 when nothing waits', async () => {
    serve(0);
    setRouterParams({ id: 'a1' });
    render(<Participants />);
    await findById('participant-p2');
    expect(byId('participants-tab-confirmed')).toHaveAttribute('aria-selected', 'true');
    expect(callsTo('activity', 'participants').map((d) => d.status)).toEqual(['confirmed']);
  });
});

describe('街道管理', () => {
  test('lists communities with their sites and opens them', async () => {
    setHandlers({ 'user.communities': directory });
    render(<AdminHome />);
    expect(await findById('community-c1')).toHaveTextContent('服务阵地 1 个');
    expect(byId('community-c2')).toHaveTextContent('服务阵地 0 个');
    await tap('community-c2');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/admin/community?id=c2' });
    await tap('admin-new-community');
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/admin/community' });
  });

  test('creates a community after inline validation, then adds a service site', async () => {
    setHandlers({
      'user.saveCommunity': (d: RequestOf<'user', 'saveCommunity'>) => ({
        _id: 'c9',
        streetId: 's1',
        name: d.name,
        address: d.address,
      }),
      'user.communities': () => ({
        ...directory(),
        communities: [
          ...directory().communities,
          { _id: 'c9', streetId: 's1', name: '新华社区', address: '新华路' },
        ],
      }),
      'user.saveSite': (d: RequestOf<'user', 'saveSite'>) => ({ _id: 's9', ...d }),
    });
    render(<AdminCommunity />);
    await tap('community-save');
    expect(byId('community-name-error')).toHaveTextContent('社区名称至少 2 个字');
    expect(callsTo('user', 'saveCommunity')).toHaveLength(0);
    await emit('community-name', '新华社区');
    await emit('community-address', '新华路');
    await tap('community-save');
    await waitFor(() =>
      expect(callsTo('user', 'saveCommunity')).toEqual([{ name: '新华社区', address: '新华路' }]),
    );
    await tap((await findById('site-add')).id);
    await emit('site-name', '新华服务站');
    await emit('site-address', '新华路 2 号');
    await emit('site-lat', '200');
    await emit('site-lng', '112.9');
    await tap('site-save');
    expect(byId('site-lat-error')).toHaveTextContent('纬度不正确');
    await emit('site-lat', '28.2');
    await emit('site-facilities', '活动室，图书角');
    await tap('site-save');
    await waitFor(() =>
      expect(callsTo('user', 'saveSite')).toEqual([
        {
          communityId: 'c9',
          name: '新华服务站',
          address: '新华路 2 号',
          lat: 28.2,
          lng: 112.9,
          openingHours: '',
          contact: '',
          facilities: ['活动室', '图书角'],
        },
      ]),
    );
  });

  test('appoints a found person and removes a worker, each after confirming', async () => {
    let staff: StaffMember[] = [{ openid: 'w1', nickName: '陈书记', communityIds: ['c1'] }];
    setHandlers({
      'user.communities': directory,
      'user.listStaff': () => ({ items: staff }),
      'user.findUsers': () => ({
        items: [
          { openid: 'u7', nickName: '王小明', roles: [{ role: 'resident' }] },
          { openid: 'w1', nickName: '陈书记', roles: [{ role: 'worker', communityId: 'c1' }] },
        ],
      }),
      'user.appointWorker': (d: RequestOf<'user', 'appointWorker'>) => {
        staff = [...staff, { openid: d.openid, nickName: '王小明', communityIds: [d.communityId] }];
        return { openid: d.openid, nickName: '王小明', roles: [] };
      },
      'user.removeWorker': (d: RequestOf<'user', 'removeWorker'>) => {
        staff = staff.filter((s) => s.openid !== d.openid);
        return { openid: d.openid, nickName: '陈书记', roles: [] };
      },
    });
    render(<AdminStaff />);
    expect(await findById('staff-w1')).toHaveTextContent('陈书记');
    expect(callsTo('user', 'listStaff')).toEqual([{ communityId: 'c1' }]);

    await tap('staff-search');
    expect(byId('staff-query-error')).toHaveTextContent('请输入昵称或 openid');
    await emit('staff-query', '王');
    await tap('staff-search');
    await findById('found-u7');
    expect(byId('found-w1')).toHaveTextContent('已是本社区工作者');
    await tap('appoint-u7');
    await waitFor(() =>
      expect(callsTo('user', 'appointWorker')).toEqual([{ openid: 'u7', communityId: 'c1' }]),
    );
    expect(Taro.showModal).toHaveBeenCalled();
    expect(await findById('staff-u7')).toBeInTheDocument();

    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true });
    await tap('remove-w1');
    expect(callsTo('user', 'removeWorker')).toHaveLength(0);
    await tap('remove-w1');
    await waitFor(() =>
      expect(callsTo('user', 'removeWorker')).toEqual([{ openid: 'w1', communityId: 'c1' }]),
    );
    await waitFor(() => expect(byId('staff-w1')).toBeNull());

    await tap('staff-community-c2');
    await waitFor(() => expect(callsTo('user', 'listStaff').at(-1)).toEqual({ communityId: 'c2' }));
  });
});
