import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { detail, meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { resetSession } from '../../miniprogram/src/store/session';
import PublishActivity from '../../miniprogram/src/packages/worker/publish';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

/** Taro components report values in event.detail (input, change). */
function emit(id: string, type: 'input' | 'change', value: unknown) {
  const el = byId(id);
  if (!el) throw new Error(`#${id} missing`);
  act(() => {
    el.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}

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
      units: [
        { _id: 'u1', name: '区人民医院', type: '医院', address: '', partyOrg: '', communityIds: ['c1'] },
        {
          _id: 'u2',
          name: '第二实验小学',
          type: '学校',
          address: '',
          partyOrg: '',
          communityIds: ['c1', 'c2'],
        },
        { _id: 'u9', name: '别处的单位', type: '企事业', address: '', partyOrg: '', communityIds: ['c2'] },
      ],
      sites: [SITE, { ...SITE, _id: 's9', communityId: 'c2', name: '别的社区' }],
    }),
    'activity.publish': (d: RequestOf<'activity', 'publish'>) => detail({ _id: 'new1', title: d.title }),
  });
});

test('shows inline errors in Chinese and does not submit an invalid form', async () => {
  render(<PublishActivity />);
  await findById('field-title');
  await act(async () => {
    fireEvent.click(byId('publish-submit')!);
  });
  expect(byId('field-type-error')).toHaveTextContent('请选择活动类型');
  expect(byId('field-title-error')).toHaveTextContent('标题至少 2 个字');
  expect(byId('field-place-error')).toHaveTextContent('请选择活动地点');
  expect(callsTo('activity', 'publish')).toHaveLength(0);

  // Fixing a field clears its message.
  emit('field-title', 'input', '重阳节敬老志愿服务');
  expect(byId('field-title-error')).toBeNull();

  emit('field-start-date', 'change', '2030-11-23');
  emit('field-start-time', 'change', '14:00');
  emit('field-end-date', 'change', '2030-11-23');
  emit('field-end-time', 'change', '13:00');
  emit('field-capacity', 'input', '-1');
  await act(async () => {
    fireEvent.click(byId('publish-submit')!);
  });
  expect(byId('field-end-error')).toHaveTextContent('结束时间要晚于开始时间');
  expect(byId('field-capacity-error')).toHaveTextContent('请填写人数');
  expect(callsTo('activity', 'publish')).toHaveLength(0);
});

test('publishes with epoch-ms times in Asia/Shanghai and opens the new activity', async () => {
  render(<PublishActivity />);
  await findById('field-title');
  // Only the worker's own community's sites are offered.
  await waitFor(() => expect(screen.getByText('选择服务阵地')).toBeInTheDocument());

  fireEvent.click(byId('field-type-volunteer')!);
  emit('field-title', 'input', '重阳节敬老志愿服务');
  emit('field-description', 'input', '陪伴老人');
  emit('field-place', 'change', 0);
  emit('field-start-date', 'change', '2030-11-23');
  emit('field-start-time', 'change', '14:00');
  emit('field-end-date', 'change', '2030-11-23');
  emit('field-end-time', 'change', '16:00');
  emit('field-signup-start-date', 'change', '2030-11-01');
  emit('field-signup-start-time', 'change', '08:00');
  emit('field-signup-end-date', 'change', '2030-11-22');
  emit('field-signup-end-time', 'change', '20:00');
  emit('field-capacity', 'input', '30');
  emit('field-hours', 'input', '2');
  emit('field-points', 'input', '4');
  fireEvent.click(byId('field-cancel-policy-untilSignUpCloses')!);
  fireEvent.click(byId('field-audience-volunteers')!);
  // Co-hosts: only units allied with this community are offered; tapping twice deselects.
  expect(byId('field-host-unit-u9')).toBeNull();
  fireEvent.click(byId('field-host-unit-u2')!);
  fireEvent.click(byId('field-host-unit-u1')!);
  fireEvent.click(byId('field-host-unit-u1')!);
  expect(byId('field-host-unit-u2')!.getAttribute('aria-checked')).toBe('true');

  await act(async () => {
    fireEvent.click(byId('publish-submit')!);
  });
  await waitFor(() => expect(callsTo('activity', 'publish')).toHaveLength(1));
  expect(callsTo('activity', 'publish')[0]).toEqual({
    communityId: 'c1',
    type: 'volunteer',
    title: '重阳节敬老志愿服务',
    description: '陪伴老人',
    place: { name: '幸福里党群服务中心', address: '幸福路 1 号', lat: 31.23, lng: 121.47, siteId: 's1' },
    startAt: Date.UTC(2030, 10, 23, 6, 0), // 14:00 +08:00
    endAt: Date.UTC(2030, 10, 23, 8, 0),
    signUpStartAt: Date.UTC(2030, 10, 1, 0, 0),
    signUpEndAt: Date.UTC(2030, 10, 22, 12, 0),
    capacity: 30,
    audience: 'volunteers',
    cancelPolicy: 'untilSignUpCloses',
    checkInMethod: 'qr',
    hours: 2,
    points: 4,
    hostUnitIds: ['u2'],
  });
  await waitFor(() =>
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/activity/detail?id=new1' }),
  );
});

test('shows the server’s field messages next to the fields', async () => {
  const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'user.communities': () => ({ communities: meView().communities, units: [], sites: [SITE] }),
    'activity.publish': () => {
      throw new ApiCallError({
        code: 'INVALID_INPUT',
        message: '填写有误',
        fields: { 'place.name': '地点名称最多 50 个字' },
      });
    },
  });
  render(<PublishActivity />);
  await findById('field-title');
  await waitFor(() => expect(screen.getByText('选择服务阵地')).toBeInTheDocument());
  fireEvent.click(byId('field-type-meeting')!);
  emit('field-title', 'input', '支部委员会');
  emit('field-place', 'change', 0);
  emit('field-start-date', 'change', '2030-11-23');
  emit('field-end-date', 'change', '2030-11-23');
  emit('field-signup-end-date', 'change', '2030-11-22');
  await act(async () => {
    fireEvent.click(byId('publish-submit')!);
  });
  await waitFor(() => expect(byId('field-place-error')).toHaveTextContent('地点名称最多 50 个字'));
});
