// Loading the compiled app into the simulator takes a few seconds on a busy machine.
jest.setTimeout(30_000);

import { assertBuilt, loadPage, until, type CloudCall } from './harness';

type PageComponent = ReturnType<typeof loadPage>['comp'];

const HOUR = 3600_000;
const START = Date.UTC(2030, 10, 23, 6, 0); // 2030-11-23 14:00 Asia/Shanghai

function detail(over: Record<string, unknown> = {}) {
  return {
    _id: 'a1',
    communityId: 'c1',
    hostUnitIds: [],
    type: 'volunteer',
    title: '重阳节敬老志愿服务',
    description: '陪伴社区老人',
    place: { name: '幸福里党群服务中心', lat: 31.2, lng: 121.5 },
    startAt: START,
    endAt: START + 2 * HOUR,
    signUpStartAt: START - 72 * HOUR,
    signUpEndAt: START - HOUR,
    capacity: 20,
    audience: 'all',
    cancelPolicy: 'untilStart',
    checkInMethod: 'qr',
    hours: 2,
    points: 2,
    status: 'published',
    confirmedCount: 5,
    createdBy: 'w1',
    createdAt: START - 100 * HOUR,
    updatedAt: START - 100 * HOUR,
    phase: 'open',
    waitlistCount: 0,
    hostUnits: [],
    communityName: '幸福里社区',
    canSignUp: { ok: true },
    canCancel: { ok: false },
    canManage: false,
    ...over,
  };
}

const text = (comp: PageComponent, id: string): string => {
  const el = comp.querySelector(`#${id}`);
  return el?.dom ? String(el.dom.textContent).replace(/\s+/g, ' ').trim() : '';
};

const tap = (comp: PageComponent, id: string): void => {
  const el = comp.querySelector(`#${id}`);
  if (!el) throw new Error(`#${id} not rendered`);
  el.dispatchEvent('tap');
};

beforeAll(() => assertBuilt());
beforeEach(() => jest.resetModules());

test('compiled detail page: tapping 立即报名 calls signUp and shows 取消报名', async () => {
  let signedUp = false;
  const { comp, calls } = loadPage('pages/activity/detail', { id: 'a1' }, ({ name, data }: CloudCall) => {
    expect(name).toBe('activity');
    if (data.action === 'detail') {
      return {
        ok: true,
        data: signedUp
          ? detail({
              mySignUp: 'confirmed',
              confirmedCount: 6,
              canSignUp: { ok: false },
              canCancel: { ok: true },
            })
          : detail(),
      };
    }
    if (data.action === 'signUp') {
      signedUp = true;
      return { ok: true, data: { status: 'confirmed', confirmedCount: 6, alreadySignedUp: false } };
    }
    return { ok: false, error: { code: 'NOT_FOUND', message: 'unexpected' } };
  });

  await until(() => text(comp, 'signup-btn').includes('立即报名'), 5000, '立即报名 button');
  expect(text(comp, 'fact-time')).toContain('11月23日 周六 14:00–16:00');
  expect(text(comp, 'fact-places')).toContain('剩余 15 个名额');
  expect(calls[0]).toEqual({ name: 'activity', data: { action: 'detail', data: { activityId: 'a1' } } });

  tap(comp, 'signup-btn');
  await until(() => text(comp, 'signup-btn').includes('取消报名'), 5000, '取消报名 button');
  expect(calls.filter((c) => c.data.action === 'signUp')).toEqual([
    { name: 'activity', data: { action: 'signUp', data: { activityId: 'a1' } } },
  ]);
  expect(text(comp, 'signup-result')).toContain('已报名');
});

test('compiled detail page: a full activity puts the caller on the waitlist', async () => {
  let waiting = false;
  const full = { phase: 'full', capacity: 5, confirmedCount: 5, waitlistCount: 1 };
  const { comp } = loadPage('pages/activity/detail', { id: 'a1' }, ({ data }: CloudCall) => {
    if (data.action === 'detail') {
      return {
        ok: true,
        data: waiting
          ? detail({
              ...full,
              waitlistCount: 2,
              mySignUp: 'waitlisted',
              myWaitlistPosition: 2,
              canSignUp: { ok: false },
              canCancel: { ok: true },
            })
          : detail(full),
      };
    }
    waiting = true;
    return {
      ok: true,
      data: { status: 'waitlisted', waitlistPosition: 2, confirmedCount: 5, alreadySignedUp: false },
    };
  });
  await until(() => text(comp, 'signup-btn').includes('加入候补'), 5000, '加入候补 button');
  tap(comp, 'signup-btn');
  await until(() => text(comp, 'signup-result').includes('候补第 2 位'), 5000, 'waitlist position');
  expect(text(comp, 'signup-btn')).toContain('取消候补');
});

test('compiled detail page: asks to subscribe (prefetched ids) before signing up, reports the answers', async () => {
  const steps: string[] = [];
  let signedUp = false;
  const { comp, calls, wx } = loadPage(
    'pages/activity/detail',
    { id: 'a1' },
    ({ data }: CloudCall) => {
      if (data.action === 'detail') {
        return {
          ok: true,
          data: signedUp
            ? detail({
                mySignUp: 'confirmed',
                confirmedCount: 6,
                canSignUp: { ok: false },
                canCancel: { ok: true },
              })
            : detail(),
        };
      }
      steps.push('signUp');
      signedUp = true;
      return { ok: true, data: { status: 'confirmed', confirmedCount: 6, alreadySignedUp: false } };
    },
    {
      notify: ({ data }: CloudCall) => {
        if (data.action === 'templates') {
          return {
            ok: true,
            data: {
              templates: [
                { kind: 'activityReminder', templateId: 'tmpl-remind', label: '活动提醒' },
                { kind: 'activityChanged', templateId: 'tmpl-changed', label: '活动变更' },
              ],
            },
          };
        }
        steps.push(`notify.${data.action}`);
        return { ok: true, data: { quotas: [] } };
      },
      subscribeAnswer: (ids) => {
        steps.push('ask');
        return { [ids[0]]: 'accept', [ids[1]]: 'reject' };
      },
    },
  );
  await until(() => text(comp, 'signup-btn').includes('立即报名'), 5000, '立即报名 button');
  await until(
    () => calls.some((c) => c.name === 'notify' && c.data.action === 'templates'),
    5000,
    'templates',
  );
  expect(calls.find((c) => c.name === 'notify')).toEqual({
    name: 'notify',
    data: { action: 'templates', data: { scene: 'activitySignUp' } },
  });
  await new Promise((r) => setTimeout(r, 50));

  tap(comp, 'signup-btn');
  await until(() => text(comp, 'signup-btn').includes('取消报名'), 5000, '取消报名 button');
  const request = wx.requestSubscribeMessage as jest.Mock;
  expect(request).toHaveBeenCalledTimes(1);
  expect(request.mock.calls[0][0]).toMatchObject({ tmplIds: ['tmpl-remind', 'tmpl-changed'] });
  await until(() => steps.includes('notify.subscribe'), 5000, 'notify.subscribe');
  expect(steps[0]).toBe('ask');
  expect(steps.indexOf('ask')).toBeLessThan(steps.indexOf('signUp'));
  expect(calls.find((c) => c.data.action === 'subscribe')).toEqual({
    name: 'notify',
    data: {
      action: 'subscribe',
      data: { scene: 'activitySignUp', results: { 'tmpl-remind': 'accept', 'tmpl-changed': 'reject' } },
    },
  });
});
