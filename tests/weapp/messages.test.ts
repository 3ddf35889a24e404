// Loading the compiled app into the simulator takes a few seconds on a busy machine.
jest.setTimeout(30_000);

import { assertBuilt, loadPage, until, type CloudCall } from './harness';

type PageComponent = ReturnType<typeof loadPage>['comp'];

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

test('compiled messages tab: lists messages, marks one read on tap, sets the tab badge', async () => {
  const now = Date.now();
  let unread = 2;
  const { comp, calls, wx } = loadPage(
    'pages/messages/index',
    {},
    () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'unexpected' } }),
    {
      notify: ({ data }: CloudCall) => {
        if (data.action === 'list') {
          return {
            ok: true,
            data: {
              items: [
                {
                  _id: 'm1',
                  kind: 'activityReminder',
                  title: '活动即将开始',
                  body: '重阳节敬老志愿服务 14:00 开始',
                  page: 'pages/activity/detail?id=a1',
                  createdAt: now - 2 * 3600_000,
                  read: false,
                },
                {
                  _id: 'm2',
                  kind: 'waitlistPromoted',
                  title: '候补成功',
                  body: '你已转为正式报名',
                  page: 'pages/activity/detail?id=a2',
                  createdAt: now - 3 * 86400_000,
                  read: true,
                },
              ],
              total: 2,
              unread,
            },
          };
        }
        if (data.action === 'markRead') {
          unread -= 1;
          return { ok: true, data: { unread } };
        }
        return { ok: true, data: { unread } };
      },
    },
  );
  await until(() => text(comp, 'message-m1').includes('活动即将开始'), 5000, 'message m1');
  expect(text(comp, 'message-m1')).toContain('2小时前');
  expect(text(comp, 'message-m2')).toContain('3天前');
  expect(comp.querySelector('#message-m1-unread')).toBeTruthy();
  expect(comp.querySelector('#message-m2-unread')).toBeFalsy();
  expect(text(comp, 'mark-all-read')).toContain('全部已读');
  await until(() => (wx.setTabBarBadge as jest.Mock).mock.calls.length > 0, 5000, 'tab badge');
  expect((wx.setTabBarBadge as jest.Mock).mock.calls[0][0]).toMatchObject({ index: 3, text: '2' });

  tap(comp, 'message-m1');
  await until(() => calls.some((c) => c.data.action === 'markRead'), 5000, 'markRead');
  expect(calls.find((c) => c.data.action === 'markRead')).toEqual({
    name: 'notify',
    data: { action: 'markRead', data: { ids: ['m1'] } },
  });
  expect((wx.navigateTo as jest.Mock).mock.calls[0][0]).toMatchObject({
    url: '/pages/activity/detail?id=a1',
  });
  await until(() => !comp.querySelector('#message-m1-unread'), 5000, 'dot gone');
});
