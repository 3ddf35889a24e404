import { render, waitFor } from '@testing-library/react';
import BoardPage from '../../miniprogram/src/packages/board/index';
import { resetSession } from '../../miniprogram/src/store/session';
import type { BoardView } from '../../types/board';
import { byId, emit, findById, tap } from './dom';
import { meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

function board(over: Partial<BoardView> = {}): BoardView {
  return {
    communityId: 'c1',
    communityName: '幸福里社区',
    month: '2026-11',
    grievances: {
      received: 12,
      resolved: 9,
      rated: 8,
      satisfied: 7,
      unrated: 1,
      responseRate: 0.9167,
      resolutionRate: 0.75,
      satisfactionRate: 0.875,
    },
    service: { available: false, posted: 0, met: 0, rated: 0, avgRating: null },
    projects: {
      claimed: 2,
      completed: 3,
      completedThisMonth: 1,
      items: [
        {
          projectId: 'p1',
          title: '楼道扶手加装',
          status: 'completed',
          units: 2,
          ratingCount: 3,
          avgRating: 4.3,
        },
      ],
    },
    units: {
      year: 2026,
      items: [
        {
          rank: 1,
          unitName: '区人民医院',
          completedProjects: 1,
          avgRating: 4.3,
          resourcesProvided: 2,
          activitiesCoHosted: 3,
          memberHours: 20,
          venuesOpened: 1,
          siteBookings: 4,
          score: 20,
        },
      ],
    },
    volunteerHours: { month: 126.5, volunteers: 31 },
    notices: [
      {
        noticeId: 'n1',
        communityId: 'c1',
        title: '停水通知',
        body: '正文',
        pinned: true,
        publishedAt: Date.now(),
      },
    ],
    ...over,
  };
}

beforeEach(() => {
  resetSession();
  jest.clearAllMocks();
});

test('公示栏 shows the month’s 三率, projects, units, hours and notices; no publish button for residents', async () => {
  setHandlers({ 'user.me': () => meView(), 'board.view': () => board() });
  render(<BoardPage />);
  expect(await findById('board-response-rate')).toHaveTextContent('91.7%');
  expect(byId('board-resolution-rate')).toHaveTextContent('75%');
  expect(byId('board-grievances')).toHaveTextContent('未评价 1 件（不计入满意）');
  expect(byId('board-satisfaction-rate')).toHaveTextContent('87.5%');
  expect(byId('board-service-none')).toHaveTextContent('本月暂无点单服务数据');
  expect(byId('board-projects-completed')).toHaveTextContent('3');
  expect(byId('board-project-p1')).toHaveTextContent('4.3 分（3 人评）');
  expect(byId('board-unit-1-区人民医院')).toHaveTextContent('开放场地 1');
  expect(byId('board-hours-month')).toHaveTextContent('126.5');
  expect(byId('notice-n1')).toHaveTextContent('停水通知');
  expect(byId('board-write')).toBeNull();
  expect(callsTo('board', 'view')[0]).toEqual({
    communityId: 'c1',
    month: expect.stringMatching(/^\d{4}-\d{2}$/),
  });
});

test('公示栏: a worker of the community publishes a pinned notice after confirming', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'board.view': () => board({ service: { available: true, posted: 5, met: 4, rated: 2, avgRating: 4.5 } }),
    'board.publishNotice': () => board().notices[0],
  });
  render(<BoardPage />);
  expect(await findById('board-service-met')).toHaveTextContent('4');
  await tap('board-write');
  await tap('board-notice-submit');
  expect(byId('board-notice-title-error')).toHaveTextContent('标题至少 2 个字');
  expect(callsTo('board', 'publishNotice')).toEqual([]);
  await emit('board-notice-title-input', '垃圾分类宣传周');
  await emit('board-notice-body-input', '本周六上午设宣传点。');
  await tap('board-notice-pinned-yes');
  await tap('board-notice-submit');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() =>
    expect(callsTo('board', 'publishNotice')).toEqual([
      { communityId: 'c1', title: '垃圾分类宣传周', body: '本周六上午设宣传点。', pinned: true },
    ]),
  );
});
