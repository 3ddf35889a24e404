import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import RegisterPage from '../../miniprogram/src/packages/volunteer/register';
import VolunteerHub from '../../miniprogram/src/packages/volunteer/index';
import { meView } from './fixtures';
import { byId, findById, fire, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { BAD_CHECK_ID, CONSENT, VALID_ID, pointsSummary, profile, registration } from './volunteerFixtures';
import { setRouterParams } from './__mocks__/taro';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => {
  resetSession();
});

test('shows inline errors in Chinese and sends nothing while the form is invalid', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: null }),
    'volunteer.consent': () => CONSENT,
  });
  render(<RegisterPage />);
  await findById('reg-form');
  // The consent text from the server is shown before submitting.
  expect(byId('reg-consent-text')).toHaveTextContent(CONSENT.text);
  // The current community is preselected.
  expect(byId('reg-community-c1')).toHaveAttribute('aria-checked', 'true');

  await tap('reg-submit');
  expect(byId('reg-name-error')).toHaveTextContent('请填写真实姓名');
  expect(byId('reg-id-error')).toHaveTextContent('请填写身份证号码');
  expect(byId('reg-phone-error')).toHaveTextContent('请填写 11 位手机号码');
  expect(byId('reg-consent-error')).toHaveTextContent('请阅读并同意个人信息使用说明');

  fire('reg-id', 'input', BAD_CHECK_ID);
  fire('reg-id', 'blur', BAD_CHECK_ID);
  expect(byId('reg-id-error')).toHaveTextContent('身份证号码有误，请核对');
  fire('reg-id', 'input', '12345');
  await tap('reg-submit');
  expect(byId('reg-id-error')).toHaveTextContent('身份证号码应为 18 位');
  expect(callsTo('volunteer', 'register')).toHaveLength(0);

  // Fixing a field clears its message.
  fire('reg-name', 'input', '张阿姨');
  expect(byId('reg-name-error')).toBeNull();
});

test('submits the registration payload, then shows 待审核 with the masked ID and phone', async () => {
  let submitted: RequestOf<'volunteer', 'register'> | null = null;
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: null }),
    'volunteer.consent': () => CONSENT,
    'volunteer.register': (d: RequestOf<'volunteer', 'register'>) => {
      submitted = d;
      return registration({ skills: d.skills ?? [], preferences: d.preferences ?? [] });
    },
  });
  render(<RegisterPage />);
  await findById('reg-form');
  await tap('reg-community-c2');
  fire('reg-name', 'input', ' 张阿姨 ');
  fire('reg-id', 'input', VALID_ID.toLowerCase());
  fire('reg-phone', 'input', '13812345678');
  await tap('reg-skills-医疗护理');
  fire('reg-skills-custom', 'input', '理发');
  await tap('reg-skills-add');
  expect(byId('reg-skills-理发')).toHaveAttribute('aria-checked', 'true');
  await tap('reg-prefs-敬老助老');
  await tap('reg-consent-check');
  expect(byId('reg-consent-check')).toHaveAttribute('aria-checked', 'true');

  await tap('reg-submit');
  await waitFor(() => expect(callsTo('volunteer', 'register')).toHaveLength(1));
  expect(submitted).toEqual({
    communityId: 'c2',
    name: '张阿姨',
    idNumber: VALID_ID,
    phone: '13812345678',
    skills: ['医疗护理', '理发'],
    preferences: ['敬老助老'],
    consent: true,
  });
  // H5 cannot ask for subscription messages.
  expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();

  const tag = await findById('reg-status-tag');
  expect(tag).toHaveTextContent('待审核');
  expect(byId('reg-id-masked')).toHaveTextContent('1101**********002X');
  expect(byId('reg-phone-masked')).toHaveTextContent('138****5678');
  expect(document.body).not.toHaveTextContent(VALID_ID);
  expect(document.body).not.toHaveTextContent('13812345678');
});

test('server field errors are shown next to their fields', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: null }),
    'volunteer.consent': () => CONSENT,
    'volunteer.register': () => {
      throw new ApiCallError({
        code: 'CONFLICT',
        message: '该身份证号码已登记',
        fields: { idNumber: '该身份证号码已登记' },
      });
    },
  });
  render(<RegisterPage />);
  await findById('reg-form');
  fire('reg-name', 'input', '张阿姨');
  fire('reg-id', 'input', VALID_ID);
  fire('reg-phone', 'input', '13812345678');
  await tap('reg-consent-check');
  await tap('reg-submit');
  await waitFor(() => expect(byId('reg-id-error')).toHaveTextContent('该身份证号码已登记'));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该身份证号码已登记' }));
});

test('a rejected registration shows the reason and 修改后重新提交 opens the form again', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({
      registration: registration({ status: 'rejected', rejectReason: '姓名与身份证不一致' }),
    }),
    'volunteer.consent': () => CONSENT,
  });
  render(<RegisterPage />);
  expect(await findById('reg-status-tag')).toHaveTextContent('未通过');
  expect(byId('reg-reject-reason')).toHaveTextContent('姓名与身份证不一致');
  await tap('reg-resubmit');
  expect(await findById('reg-form')).toBeInTheDocument();
  expect(byId('reg-rejected-banner')).toHaveTextContent('姓名与身份证不一致');
  // Prefilled with what can be shown; the ID number and phone are typed again.
  expect(byId('reg-skills-医疗护理')).toHaveAttribute('aria-checked', 'true');
  expect(byId('reg-submit')).toHaveTextContent('重新提交登记');
});

test('an approved volunteer edits phone and skills through updateRegistration', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: registration({ status: 'approved' }) }),
    'volunteer.consent': () => CONSENT,
    'volunteer.updateRegistration': () =>
      registration({ status: 'approved', phoneMasked: '139****0000', skills: ['医疗护理', '驾驶'] }),
  });
  render(<RegisterPage />);
  expect(await findById('reg-status-tag')).toHaveTextContent('已通过');
  await tap('reg-update');
  fire('upd-phone', 'input', '1390000');
  await tap('upd-save');
  expect(byId('upd-phone-error')).toHaveTextContent('请填写 11 位手机号码');
  expect(callsTo('volunteer', 'updateRegistration')).toHaveLength(0);

  fire('upd-phone', 'input', '13900000000');
  await tap('upd-skills-驾驶');
  await tap('upd-save');
  await waitFor(() => expect(callsTo('volunteer', 'updateRegistration')).toHaveLength(1));
  expect(callsTo('volunteer', 'updateRegistration')[0]).toEqual({
    phone: '13900000000',
    skills: ['医疗护理', '驾驶'],
    preferences: ['敬老助老'],
  });
  await waitFor(() => expect(byId('reg-phone-masked')).toHaveTextContent('139****0000'));
  expect(byId('reg-skills-line')).toHaveTextContent('医疗护理、驾驶');
});

test('显示 shows the full ID number and phone from revealMine only until 隐藏 is tapped', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: registration({ status: 'approved' }) }),
    'volunteer.consent': () => CONSENT,
    'volunteer.revealMine': () => ({ idNumber: VALID_ID, phone: '13812345678' }),
  });
  render(<RegisterPage />);
  const button = await findById('reg-reveal');
  expect(button).toHaveAttribute('aria-label', '显示完整身份证号和手机号');
  expect(button).toHaveTextContent('显示');
  expect(byId('reg-id-masked')).toHaveTextContent('1101**********002X');
  expect(document.body).not.toHaveTextContent(VALID_ID);
  expect(callsTo('volunteer', 'revealMine')).toHaveLength(0);

  await tap('reg-reveal');
  await waitFor(() => expect(byId('reg-id-masked')).toHaveTextContent(VALID_ID));
  expect(callsTo('volunteer', 'revealMine')).toEqual([{}]);
  expect(byId('reg-phone-masked')).toHaveTextContent('13812345678');
  expect(byId('reg-reveal')).toHaveAttribute('aria-label', '隐藏完整身份证号和手机号');
  expect(byId('reg-reveal')).toHaveTextContent('隐藏');

  await tap('reg-reveal');
  expect(byId('reg-id-masked')).toHaveTextContent('1101**********002X');
  expect(byId('reg-phone-masked')).toHaveTextContent('138****5678');
  expect(document.body).not.toHaveTextContent(VALID_ID);
  expect(document.body).not.toHaveTextContent('13812345678');

  // Not cached: showing again asks the server again.
  await tap('reg-reveal');
  await waitFor(() => expect(callsTo('volunteer', 'revealMine')).toHaveLength(2));
  await waitFor(() => expect(byId('reg-phone-masked')).toHaveTextContent('13812345678'));
});

test('a failed 显示 keeps the data masked and says what went wrong', async () => {
  setHandlers({
    'user.me': () => meView(),
    'volunteer.myRegistration': () => ({ registration: registration({ status: 'approved' }) }),
    'volunteer.consent': () => CONSENT,
    'volunteer.revealMine': () => {
      throw new ApiCallError({ code: 'NOT_FOUND', message: '还没有志愿者登记' });
    },
  });
  render(<RegisterPage />);
  await tap((await findById('reg-reveal')).id);
  await waitFor(() =>
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '还没有志愿者登记' })),
  );
  expect(byId('reg-id-masked')).toHaveTextContent('1101**********002X');
  expect(byId('reg-reveal')).toHaveTextContent('显示');
});

test('the hub invites unregistered residents to 立即登记', async () => {
  setHandlers({
    'volunteer.profile': () => profile({ registration: null, recordedHours: 0, totalHours: 0 }),
    'points.summary': () => pointsSummary({ balance: 0 }),
  });
  render(<VolunteerHub />);
  await tap((await findById('hub-register-cta')).id);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/register' });
});

test('the hub shows the status, stars with progress, hours and points', async () => {
  setRouterParams({});
  setHandlers({
    'volunteer.profile': () => profile(),
    'points.summary': () => pointsSummary({ expiring: { points: 20, at: Date.UTC(2030, 11, 31, 15, 59) } }),
    'volunteer.settings': () => ({
      _id: 'c1',
      pointsPerHour: 2,
      pointsExpiry: '12-31',
      updatedAt: 0,
      updatedBy: '',
    }),
  });
  render(<VolunteerHub />);
  expect(await findById('hub-status-tag')).toHaveTextContent('已通过');
  expect(await findById('hub-rules')).toHaveTextContent(
    '积分规则：签到签退记录的服务时长每小时得 2 积分；未使用的积分每年 12月31日 清零。',
  );
  expect(byId('star-stars')).toHaveAttribute('aria-label', '1 星志愿者');
  expect(byId('star-next')).toHaveTextContent('距 2 星还差 180 小时');
  expect(byId('hub-total-hours')).toHaveTextContent('124');
  expect(byId('hub-points')).toHaveTextContent('86');
  expect(byId('hub-expiring')).toHaveTextContent('20 积分将于');
  await tap('hub-points');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/hours?tab=points' });
});
