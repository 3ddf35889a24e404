/** 微心愿 pages: 需求大厅, 点单, 需求详情 (take with a confirmation, confirm and rate, reject with a reason). */
import { act, fireEvent, render, waitFor } from '@testing-library/react';
import { setRouterParams } from './__mocks__/taro';
import * as taroModule from './__mocks__/taro';
import ServiceHall from '../../miniprogram/src/packages/service/hall';
import ServiceQueue from '../../miniprogram/src/packages/service/queue';
import MyServiceRequests from '../../miniprogram/src/packages/service/mine';
import NewServiceRequest from '../../miniprogram/src/packages/service/new';
import ServiceRequestDetail from '../../miniprogram/src/packages/service/detail';
import { resetSession } from '../../miniprogram/src/store/session';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import type { ServiceDetail, ServiceSummary } from '../../types/service';
import { meView } from './fixtures';
import { emit } from './dom';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const taro = (taroModule as unknown as { default: { getLocation?: jest.Mock; chooseImage?: jest.Mock } })
  .default;

/** The H5 picker and /api/upload answer with `local/f<n>` file ids. */
function mockUploads(paths: string[]) {
  taro.chooseImage = jest.fn(() => Promise.resolve({ tempFilePaths: paths }));
  let n = 0;
  const fetchMock = jest.fn((url: string) => {
    if (url.startsWith('blob:')) return Promise.resolve({ blob: () => Promise.resolve(new Blob(['x'])) });
    n += 1;
    const id = n;
    return Promise.resolve({
      json: () => Promise.resolve({ ok: true, data: { fileId: `local/f${id}`, url: `/files/f${id}.jpg` } }),
    });
  });
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  return fetchMock;
}
const byId = (id: string) => document.getElementById(id);
const findById = (id: string) =>
  waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
async function tap(id: string) {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
}

const AT = Date.UTC(2030, 10, 23, 6, 0);
function summary(over: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    _id: 'r1',
    communityId: 'c1',
    category: 'errands',
    categoryName: '代买跑腿',
    preview: '帮忙去超市买米和油',
    stage: 'open',
    stageName: '待接单',
    startAt: AT,
    durationHours: 2,
    area: '幸福里 3 栋',
    slots: 1,
    taken: 0,
    overdue: false,
    createdAt: AT - 3600_000,
    ...over,
  };
}
function detail(over: Partial<ServiceDetail> = {}): ServiceDetail {
  return {
    ...summary(),
    text: '家里老人腿脚不便，想请人帮忙去超市买米和油送上楼',
    photoUrls: [],
    takers: [],
    timeline: [
      { action: 'submit', at: AT - 3600_000, actorRole: 'resident', stageAfter: 'open', note: '已发布' },
    ],
    viewer: 'public',
    can: {},
    ...over,
  };
}

beforeEach(() => resetSession());
afterEach(() => {
  delete taro.getLocation;
  delete taro.chooseImage;
  delete (globalThis as { fetch?: unknown }).fetch;
});

describe('需求大厅', () => {
  it('lists open requests nearest first from the phone location, with the distance and no address', async () => {
    taro.getLocation = jest.fn(() => Promise.resolve({ latitude: 28.19, longitude: 112.98 }));
    setHandlers({
      'service.nearby': () => ({
        items: [summary({ distanceM: 300 }), summary({ _id: 'r2', distanceM: 1500 })],
        total: 2,
      }),
    });
    render(<ServiceHall />);
    await findById('service-r1');
    expect(byId('service-r1')).toHaveTextContent('距你 300 米');
    expect(byId('service-r2')).toHaveTextContent('距你 1.5 公里');
    expect(callsTo('service', 'nearby')[0]).toMatchObject({
      from: { lat: 28.19, lng: 112.98 },
      order: 'near',
    });
    // 最新发布: the community's requests newest first, still with distances.
    await tap('service-hall-order-newest');
    await waitFor(() => expect(callsTo('service', 'nearby')).toHaveLength(2));
    expect(callsTo('service', 'nearby')[1]).toMatchObject({ order: 'newest', from: { lat: 28.19 } });
  });

  it('nothing near: offers the newest requests', async () => {
    taro.getLocation = jest.fn(() => Promise.resolve({ latitude: 28.19, longitude: 112.98 }));
    setHandlers({
      'service.nearby': (d: { order?: string }) =>
        d.order === 'near' ? { items: [], total: 0 } : { items: [summary()], total: 1 },
    });
    render(<ServiceHall />);
    expect(await findById('service-hall-empty')).toHaveTextContent('附近暂时没有待接的需求');
    await tap('service-hall-empty-action');
    await findById('service-r1');
    expect(byId('service-hall-order-newest')).toHaveAttribute('aria-selected', 'true');
  });

  it('without a location: newest first, no order tabs; an empty state with the next action', async () => {
    setHandlers({ 'service.nearby': () => ({ items: [], total: 0 }) });
    render(<ServiceHall />);
    expect(await findById('service-hall-empty')).toHaveTextContent('暂时没有待接的需求');
    expect(callsTo('service', 'nearby')[0]!.from).toBeUndefined();
    expect(callsTo('service', 'nearby')[0]!.order).toBe('newest');
    expect(byId('service-hall-order-near')).toBeNull();
    expect(byId('service-hall-page')).toHaveTextContent('未获取到位置，按发布时间排序');
  });
});

describe('微心愿审核', () => {
  it('lists the community’s requests by stage; an empty stage offers 待接单', async () => {
    setHandlers({
      'service.queue': (d: { stage?: string }) =>
        d.stage === 'pending' ? { items: [], total: 0 } : { items: [summary()], total: 1 },
    });
    render(<ServiceQueue />);
    expect(await findById('service-queue-empty')).toHaveTextContent('没有待审核的需求');
    expect(callsTo('service', 'queue')[0]).toEqual({ stage: 'pending', pageSize: 10 });
    await tap('service-queue-empty-action');
    await findById('service-r1');
    expect(callsTo('service', 'queue')[1]).toEqual({ stage: 'open', pageSize: 10 });
    expect(byId('service-queue-tab-open')).toHaveAttribute('aria-selected', 'true');
    expect(byId('service-queue-list')).toHaveAttribute('aria-live', 'polite');
  });
});

describe('我的需求', () => {
  it('what I posted, then what I took (the taking list)', async () => {
    setHandlers({
      'service.mine': () => ({ items: [], total: 0 }),
      'service.taking': () => ({ items: [summary({ stage: 'taken', stageName: '已接单' })], total: 1 }),
    });
    render(<MyServiceRequests />);
    expect(await findById('service-mine-empty')).toHaveTextContent('还没有发布过需求');
    await tap('service-mine-tab-taking');
    await findById('service-r1');
    expect(callsTo('service', 'taking')).toEqual([{ pageSize: 10 }]);
  });
});

describe('点单', () => {
  it('validates inline without calling, then posts after the confirmation', async () => {
    setHandlers({
      'user.me': () => meView(),
      'service.submit': () => detail({ viewer: 'owner', stage: 'pending' }),
    });
    render(<NewServiceRequest />);
    await tap('service-submit');
    expect(byId('service-category-error')).toHaveTextContent('请选择需求类别');
    expect(byId('service-text-error')).toHaveTextContent('至少写 10 个字');
    expect(callsTo('service', 'submit')).toHaveLength(0);
    await tap('service-category-errands');
    await emit('service-text', '家里老人腿脚不便，想请人帮忙买米');
    await emit('service-area', '幸福里 3 栋');
    await emit('service-address', '3 栋 2 单元 501');
    await tap('service-submit');
    await findById('confirm-dialog-ok');
    await tap('confirm-dialog-ok');
    await waitFor(() => expect(callsTo('service', 'submit')).toHaveLength(1));
    expect(callsTo('service', 'submit')[0]).toMatchObject({
      communityId: 'c1',
      category: 'errands',
      place: { area: '幸福里 3 栋', address: '3 栋 2 单元 501' },
    });
  });
});

describe('点单 with photos', () => {
  it('uploads photos through the photo editor (at most 9) and posts their file ids', async () => {
    const fetchMock = mockUploads(['blob:a', 'blob:b', 'blob:c']);
    setHandlers({
      'user.me': () => meView(),
      'service.submit': () => detail({ viewer: 'owner', stage: 'pending' }),
    });
    render(<NewServiceRequest />);
    expect(await findById('service-photos-add')).toHaveAttribute('aria-label', '添加图片，还可以添加 9 张');
    await tap('service-photos-add');
    await waitFor(() => expect(byId('service-photos-remove-2')).toBeInTheDocument());
    expect(fetchMock.mock.calls.filter((c) => c[0] === '/api/upload')).toHaveLength(3);
    expect(byId('service-photos-add')).toHaveAttribute('aria-label', '添加图片，还可以添加 6 张');
    await tap('service-photos-remove-1');
    await tap('service-category-errands');
    await emit('service-text', '家里老人腿脚不便，想请人帮忙买米');
    await emit('service-area', '幸福里 3 栋');
    await emit('service-address', '3 栋 2 单元 501');
    await tap('service-submit');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(callsTo('service', 'submit')).toHaveLength(1));
    expect(callsTo('service', 'submit')[0]!.photos).toEqual(['local/f1', 'local/f3']);
  });

  it('a photo the server refuses is named at the photos field', async () => {
    mockUploads(['blob:a']);
    setHandlers({
      'user.me': () => meView(),
      'service.submit': () => {
        throw new ApiCallError({
          code: 'INVALID_INPUT',
          message: '图片无效或不是你上传的，请重新上传',
          fields: { photos: '图片无效' },
        });
      },
    });
    render(<NewServiceRequest />);
    await tap((await findById('service-photos-add')).id);
    await waitFor(() => expect(byId('service-photos-remove-0')).toBeInTheDocument());
    await tap('service-category-errands');
    await emit('service-text', '家里老人腿脚不便，想请人帮忙买米');
    await emit('service-area', '幸福里 3 栋');
    await emit('service-address', '3 栋 2 单元 501');
    await tap('service-submit');
    await tap((await findById('confirm-dialog-ok')).id);
    expect(await findById('service-photos-error')).toHaveTextContent('图片无效');
  });
});

describe('需求详情', () => {
  it('a volunteer takes it after confirming; the area only, no address', async () => {
    setRouterParams({ id: 'r1' });
    setHandlers({
      'service.detail': () => detail({ can: { take: true } }),
      'service.take': () =>
        detail({
          viewer: 'taker',
          stage: 'taken',
          stageName: '已接单',
          address: '3 栋 2 单元 501',
          can: { complete: true },
        }),
    });
    render(<ServiceRequestDetail />);
    await findById('service-take');
    expect(byId('service-detail-page')).toHaveTextContent('幸福里 3 栋');
    await tap('service-take');
    await findById('confirm-dialog-ok');
    expect(callsTo('service', 'take')).toHaveLength(0);
    await tap('confirm-dialog-ok');
    await findById('service-complete');
    expect(callsTo('service', 'take')).toEqual([{ requestId: 'r1' }]);
    expect(byId('service-stage')).toHaveTextContent('已接单');
  });

  it('the taker marks it done with a note, the hours and photos; the resident sees the photos', async () => {
    mockUploads(['blob:a', 'blob:b']);
    setRouterParams({ id: 'r1' });
    setHandlers({
      'service.detail': () =>
        detail({ viewer: 'taker', stage: 'taken', stageName: '已接单', can: { complete: true } }),
      'service.complete': () =>
        detail({
          viewer: 'taker',
          stage: 'done',
          stageName: '已完成(待确认)',
          result: { note: '米和油已送到', photoUrls: ['/files/f1.jpg', '/files/f2.jpg'], hours: 1.5, at: AT },
        }),
    });
    render(<ServiceRequestDetail />);
    await tap((await findById('service-complete')).id);
    // The planned 2 h is the default and the most that can be stated.
    expect(byId('service-done-hours-2')).toHaveAttribute('aria-checked', 'true');
    expect(byId('service-done-hours-2.5')).toBeNull();
    await tap('action-dialog-submit');
    expect(await findById('action-dialog-error')).toHaveTextContent('请填写服务情况');
    expect(callsTo('service', 'complete')).toHaveLength(0);
    await emit('action-text', '米和油已送到');
    await tap('service-done-hours-1.5');
    await tap('service-done-photos-add');
    await waitFor(() => expect(byId('service-done-photos-remove-1')).toBeInTheDocument());
    await tap('action-dialog-submit');
    await waitFor(() =>
      expect(callsTo('service', 'complete')).toEqual([
        { requestId: 'r1', note: '米和油已送到', hours: 1.5, photos: ['local/f1', 'local/f2'] },
      ]),
    );
    await findById('service-result-photos');
    expect(byId('service-stage')).toHaveTextContent('已完成(待确认)');
    expect(document.querySelectorAll('#service-result-photos [role="button"]')).toHaveLength(2);
  });

  it('the requester confirms with stars and tags', async () => {
    setRouterParams({ id: 'r1' });
    setHandlers({
      'service.detail': () =>
        detail({ viewer: 'owner', stage: 'done', stageName: '已完成(待确认)', can: { confirm: true } }),
      'service.confirm': () => detail({ viewer: 'owner', stage: 'rated', stageName: '已评价' }),
    });
    render(<ServiceRequestDetail />);
    await findById('service-confirm');
    await tap('service-stars-4');
    await tap('service-tags-准时');
    await tap('service-confirm');
    await tap('confirm-dialog-ok');
    await waitFor(() => expect(callsTo('service', 'confirm')).toHaveLength(1));
    expect(callsTo('service', 'confirm')[0]).toEqual({
      requestId: 'r1',
      rating: { stars: 4, tags: ['准时'] },
    });
  });

  it('a worker rejects with a reason (required)', async () => {
    setRouterParams({ id: 'r1' });
    setHandlers({
      'service.detail': () =>
        detail({ viewer: 'manager', stage: 'pending', can: { approve: true, reject: true } }),
      'service.reject': () => detail({ viewer: 'manager', stage: 'rejected', stageName: '未通过' }),
    });
    render(<ServiceRequestDetail />);
    await findById('service-reject');
    await tap('service-reject');
    await tap('action-dialog-submit');
    expect(callsTo('service', 'reject')).toHaveLength(0);
    await emit('action-text', '不属于服务范围');
    await tap('action-dialog-submit');
    await waitFor(() =>
      expect(callsTo('service', 'reject')).toEqual([{ requestId: 'r1', reason: '不属于服务范围' }]),
    );
  });
});
