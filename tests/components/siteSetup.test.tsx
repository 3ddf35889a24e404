import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import SiteSetupPage, { validate, weeklyHours } from '../../miniprogram/src/packages/sites/setup';
import { resetSession } from '../../miniprogram/src/store/session';
import { byId, emit, findById, tap } from './dom';
import { meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => {
  resetSession();
  jest.clearAllMocks();
});

test('weeklyHours and validate', () => {
  expect(weeklyHours(['1', '0'], '09:00', '12:00')).toEqual([
    [{ open: '09:00', close: '12:00' }],
    [{ open: '09:00', close: '12:00' }],
    [],
    [],
    [],
    [],
    [],
  ]);
  const ok = {
    source: 's',
    days: ['1'],
    open: '09:00',
    close: '17:30',
    capacity: '10',
    maxHours: '3',
    approval: 'yes' as const,
    facilities: '',
    address: '',
  };
  expect(validate(ok, false)).toEqual({});
  expect(validate({ ...ok, open: '09:15' }, false).open).toBe('时间格式应为 09:00，按半小时');
  expect(validate({ ...ok, close: '08:00' }, false).open).toBe('关门时间须晚于开门时间');
  expect(validate(ok, true).address).toBe('请填写场地地址');
});

test('a worker opens a service site of the community for booking', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'user.communities': () => ({
      communities: [],
      units: [],
      sites: [
        { _id: 'site-a', communityId: 'c1', name: '幸福里党群服务中心' },
        { _id: 'site-b', communityId: 'c2', name: '和平社区党群服务中心' },
      ],
    }),
    'sites.saveSite': () => ({ _id: 'bk-site-a' }),
  });
  render(<SiteSetupPage />);
  await findById('setup-source-site-a');
  expect(byId('setup-source-site-b')).toBeNull();
  await tap('setup-submit');
  expect(byId('setup-source-error')).toHaveTextContent('请选择服务阵地');
  await tap('setup-source-site-a');
  await tap('setup-day-6');
  await emit('setup-capacity-input', '40');
  await emit('setup-facilities-input', '投影、音响');
  await tap('setup-approval-no');
  await tap('setup-submit');
  await waitFor(() =>
    expect(callsTo('sites', 'saveSite')).toEqual([
      {
        communityId: 'c1',
        fromSiteId: 'site-a',
        hours: weeklyHours(['1', '2', '3', '4', '5', '6'], '09:00', '17:00'),
        capacity: 40,
        maxHours: 3,
        approval: false,
        facilities: ['投影', '音响'],
      },
    ]),
  );
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/sites/index' });
});
