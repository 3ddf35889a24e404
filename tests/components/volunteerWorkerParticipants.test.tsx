import { render, waitFor } from '@testing-library/react';
import type { Participant, RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import Participants from '../../miniprogram/src/packages/worker/participants';
import { START } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import { byId, emit, findById, tap } from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const person = (over: Partial<Participant>): Participant => ({
  openid: 'p1',
  nickName: '小李',
  status: 'pending',
  signedUpAt: START - 3600_000,
  ...over,
});

function serve() {
  let people: Participant[] = [
    person({}),
    person({ openid: 'p2', nickName: '老王' }),
    person({ openid: 'p3', nickName: '张阿姨', status: 'confirmed' }),
  ];
  setHandlers({
    'activity.participants': (d: RequestOf<'activity', 'participants'>) => {
      const items = people.filter((p) => p.status === d.status);
      return { items, total: items.length };
    },
    'activity.reviewSignUp': (d: RequestOf<'activity', 'reviewSignUp'>) => {
      const next = person({
        ...people.find((p) => p.openid === d.openid)!,
        status: d.approve ? 'confirmed' : 'rejected',
      });
      people = people.map((p) => (p.openid === d.openid ? next : p));
      return next;
    },
  });
}

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'a1', tab: 'pending' });
});

test('待审核 lists pending applications; 通过 confirms one', async () => {
  serve();
  render(<Participants />);
  await findById('participant-p1');
  expect(callsTo('activity', 'participants')[0]).toEqual({
    activityId: 'a1',
    status: 'pending',
    pageSize: 20,
  });
  expect(byId('participants-total')).toHaveTextContent('待审核 2 人');
  expect(byId('participants-tab-pending')).toHaveAttribute('aria-selected', 'true');

  await tap('approve-signup-p1');
  await waitFor(() =>
    expect(callsTo('activity', 'reviewSignUp')).toEqual([{ activityId: 'a1', openid: 'p1', approve: true }]),
  );
  await waitFor(() => expect(byId('participant-p1')).toBeNull());
  expect(byId('participants-total')).toHaveTextContent('待审核 1 人');

  await tap('participants-tab-confirmed');
  await waitFor(() => expect(byId('participant-p1')).toHaveTextContent('已报名'));
  expect(byId('approve-signup-p1')).toBeNull();
});

test('不通过 needs a reason, which is sent', async () => {
  serve();
  render(<Participants />);
  await findById('participant-p2');
  await tap('reject-signup-p2');
  await tap('reject-signup-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  expect(callsTo('activity', 'reviewSignUp')).toHaveLength(0);

  await emit('action-text', '本场需要有驾驶经验的志愿者');
  await tap('reject-signup-submit');
  await waitFor(() =>
    expect(callsTo('activity', 'reviewSignUp')).toEqual([
      { activityId: 'a1', openid: 'p2', approve: false, reason: '本场需要有驾驶经验的志愿者' },
    ]),
  );
  await waitFor(() => expect(byId('reject-signup-submit')).toBeNull());
  await waitFor(() => expect(byId('participant-p2')).toBeNull());
});

test('a refused review keeps the dialog open with the server’s message', async () => {
  const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
  setHandlers({
    'activity.participants': () => ({ items: [person({})], total: 1 }),
    'activity.reviewSignUp': () => {
      throw new ApiCallError({ code: 'CONFLICT', message: '该报名已处理' });
    },
  });
  render(<Participants />);
  await tap((await findById('reject-signup-p1')).id);
  await emit('action-text', '名额已满');
  await tap('reject-signup-submit');
  await waitFor(() => expect(byId('action-dialog-error')).toHaveTextContent('该报名已处理'));
});
