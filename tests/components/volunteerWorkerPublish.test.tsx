import { render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import type { ServiceDetail } from '../../types/volunteer';
import { resetSession } from '../../miniprogram/src/store/session';
import ServicePublish from '../../miniprogram/src/packages/worker/service-publish';
import { meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { byId, emit, findById, tap } from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const SITE = {
  _id: 's1',
  communityId: 'c1',
  name: '幸福里党群服务中心',
  address: '幸福路 1 号',
  lat: 31.23,
  lng: 121.47,
  openingHours: '9:00-17:00',
  facilities: [],
  contact: '',
};

beforeEach(() => {
  resetSession();
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'user.communities': () => ({
      communities: meView().communities,
      units: [],
      sites: [SITE, { ...SITE, _id: 's9', communityId: 'c2', name: '别的社区的阵地' }],
    }),
    'volunteer.publishService': (d: RequestOf<'volunteer', 'publishService'>) =>
      ({ _id: 'svc1', title: d.title }) as unknown as ServiceDetail,
  });
});

async function fillValid() {
  await tap('svc-category-敬老助老');
  await emit('svc-title', '敬老助餐');
  await emit('svc-post', '送餐员');
  await emit('svc-description', '为独居老人送午餐');
  await emit('svc-place', 0, 'change');
  await emit('svc-date', '2030-11-23', 'change');
  await emit('svc-start-time', '10:30', 'change');
  await emit('svc-end-time', '12:30', 'change');
  await emit('svc-hours', '2');
  await emit('svc-places', '5');
}

test('shows inline errors and sends nothing while the form is invalid', async () => {
  render(<ServicePublish />);
  await findById('svc-title');
  await tap('service-submit');
  expect(byId('svc-category-error')).toHaveTextContent('请选择服务类别');
  expect(byId('svc-title-error')).toHaveTextContent('请填写项目名称');
  expect(byId('svc-post-error')).toHaveTextContent('请填写岗位名称');
  expect(byId('svc-place-error')).toHaveTextContent('请选择服务地点');

  // Fixing a field clears its message.
  await emit('svc-title', '敬');
  expect(byId('svc-title-error')).toBeNull();

  await fillValid();
  await emit('svc-title', '敬');
  await emit('svc-end-time', '10:00', 'change');
  await emit('svc-places', '0');
  await tap('svc-repeat-week');
  await emit('svc-count', '1');
  await emit('svc-skills', '驾驶 急救 心理疏导 厨艺 英语 摄影');
  await tap('service-submit');
  expect(byId('svc-title-error')).toHaveTextContent('项目名称至少 2 个字');
  expect(byId('svc-time-error')).toHaveTextContent('结束时间须晚于开始时间');
  expect(byId('svc-places-error')).toHaveTextContent('每场至少 1 个名额');
  expect(byId('svc-repeat-error')).toHaveTextContent('重复至少 2 场');
  expect(byId('svc-skills-error')).toHaveTextContent('技能要求最多 5 项');

  // Hours per session cannot exceed the session.
  await emit('svc-title', '敬老助餐');
  await emit('svc-end-time', '11:30', 'change');
  await emit('svc-places', '5');
  await emit('svc-count', '4');
  await emit('svc-skills', '驾驶');
  await emit('svc-hours', '3');
  await tap('service-submit');
  expect(byId('svc-hours-error')).toHaveTextContent('每场时长不能超过服务时段');
  expect(callsTo('volunteer', 'publishService')).toHaveLength(0);
});

test('publishes a weekly listing with the chosen site, skills, review and check-in method', async () => {
  render(<ServicePublish />);
  await findById('svc-title');
  // Only the worker's community's sites are offered.
  await waitFor(() => expect(screen.getByText('选择服务阵地')).toBeInTheDocument());
  await fillValid();
  await emit('svc-skills', '驾驶， 急救、驾驶');
  await tap('svc-repeat-week');
  await emit('svc-count', '4');
  await tap('svc-closes-60');
  await tap('svc-checkin-gps');
  await tap('svc-review');
  expect(byId('svc-review')).toHaveAttribute('aria-checked', 'true');
  expect(byId('svc-repeat-wrap')).toHaveTextContent('共 4 场');

  await tap('service-submit');
  await waitFor(() => expect(callsTo('volunteer', 'publishService')).toHaveLength(1));
  expect(callsTo('volunteer', 'publishService')[0]).toEqual({
    communityId: 'c1',
    hostUnitIds: [],
    category: '敬老助老',
    title: '敬老助餐',
    post: '送餐员',
    description: '为独居老人送午餐',
    place: { name: '幸福里党群服务中心', address: '幸福路 1 号', lat: 31.23, lng: 121.47, siteId: 's1' },
    requiredSkills: ['驾驶', '急救'],
    hoursPerSession: 2,
    placesPerSession: 5,
    review: true,
    checkInMethod: 'gps',
    startAt: Date.UTC(2030, 10, 23, 2, 30), // 10:30 +08:00
    endAt: Date.UTC(2030, 10, 23, 4, 30),
    repeat: { every: 'week', count: 4 },
    signUpClosesBeforeMinutes: 60,
  });
  await waitFor(() =>
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/volunteer/service?id=svc1' }),
  );
});

test('a one-off listing sends no repeat; the server’s field messages land next to the fields', async () => {
  const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'user.communities': () => ({ communities: meView().communities, units: [], sites: [SITE] }),
    'volunteer.publishService': () => {
      throw new ApiCallError({
        code: 'INVALID_INPUT',
        message: '填写有误',
        fields: { 'place.name': '服务地点最多 50 个字' },
      });
    },
  });
  render(<ServicePublish />);
  await findById('svc-title');
  await waitFor(() => expect(screen.getByText('选择服务阵地')).toBeInTheDocument());
  await fillValid();
  await tap('service-submit');
  await waitFor(() => expect(callsTo('volunteer', 'publishService')).toHaveLength(1));
  const sent = callsTo('volunteer', 'publishService')[0];
  expect(sent.repeat).toBeUndefined();
  expect(sent).toMatchObject({ review: false, checkInMethod: 'code', signUpClosesBeforeMinutes: 0 });
  await waitFor(() => expect(byId('svc-place-error')).toHaveTextContent('服务地点最多 50 个字'));
  expect(Taro.redirectTo).not.toHaveBeenCalled();
});
