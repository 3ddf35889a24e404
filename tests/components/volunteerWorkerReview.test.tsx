import { render, waitFor } from '@testing-library/react';
import type { RequestOf } from '../../types/api';
import type { RegistrationView } from '../../types/volunteer';
import { resetSession } from '../../miniprogram/src/store/session';
import VolunteersPage from '../../miniprogram/src/packages/worker/volunteers';
import { meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import {
  byId,
  correction,
  emit,
  findById,
  makeup,
  registration,
  settings,
  tap,
} from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const FULL = { name: '李志强', idNumber: '32010219900307123X', phone: '13812345678' };

function serve(pending: RegistrationView[]) {
  let items = pending;
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.listRegistrations': (d: RequestOf<'volunteer', 'listRegistrations'>) => {
      const list = items.filter((r) => r.status === d.status);
      return { items: list, total: list.length };
    },
    'volunteer.reviewRegistration': (d: RequestOf<'volunteer', 'reviewRegistration'>) => {
      const r = items.find((x) => x.openid === d.openid)!;
      const next: RegistrationView = {
        ...r,
        status: d.approve ? 'approved' : 'rejected',
        ...(d.reason ? { rejectReason: d.reason } : {}),
      };
      items = items.map((x) => (x.openid === d.openid ? next : x));
      return next;
    },
    'volunteer.revealIdentity': () => FULL,
  });
}

beforeEach(() => {
  resetSession();
});

test('pending registrations show masked identity; 通过 asks first, then approves', async () => {
  serve([registration(), registration({ openid: 'v2', name: '王芳', skills: [] })]);
  render(<VolunteersPage />);
  const card = await findById('registration-v1');
  expect(callsTo('volunteer', 'listRegistrations')[0]).toEqual({
    communityId: 'c1',
    status: 'pending',
    pageSize: 20,
  });
  expect(byId('registration-v1-id')).toHaveTextContent('3201**********123X');
  expect(byId('registration-v1-phone')).toHaveTextContent('138****5678');
  expect(card).toHaveTextContent('驾驶');
  expect(card).toHaveTextContent('急救');
  expect(card).toHaveTextContent('待审核');
  expect(byId('registration-v2')).toHaveTextContent('未填写');
  expect(document.body).not.toHaveTextContent('32010219900307123X');

  // Declining the confirmation sends nothing.
  await tap('approve-v1');
  await tap((await findById('confirm-dialog-cancel')).id);
  expect(callsTo('volunteer', 'reviewRegistration')).toHaveLength(0);

  await tap('approve-v1');
  expect(byId('confirm-dialog-text')).toHaveTextContent('李志强');
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('volunteer', 'reviewRegistration')).toEqual([{ openid: 'v1', approve: true }]),
  );
  // The list reloads without the approved one.
  await waitFor(() => expect(byId('registration-v1')).toBeNull());
  expect(byId('registration-v2')).toBeInTheDocument();

  // 已通过 lists it.
  await tap('volunteers-tab-approved');
  await waitFor(() => expect(byId('registration-v1')).toHaveTextContent('已通过'));
  expect(byId('approve-v1')).toBeNull();
});

test('不通过 needs a reason, which is sent', async () => {
  serve([registration()]);
  render(<VolunteersPage />);
  await findById('registration-v1');
  await tap('reject-v1');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  await emit('action-text', '好');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  expect(callsTo('volunteer', 'reviewRegistration')).toHaveLength(0);

  await emit('action-text', '  身份证号码与姓名不一致 ');
  await tap('action-dialog-submit');
  await waitFor(() =>
    expect(callsTo('volunteer', 'reviewRegistration')).toEqual([
      { openid: 'v1', approve: false, reason: '身份证号码与姓名不一致' },
    ]),
  );
  await waitFor(() => expect(byId('action-dialog-submit')).toBeNull());
  await waitFor(() => expect(byId('registrations-empty')).toBeInTheDocument());
  await tap('volunteers-tab-rejected');
  await waitFor(() => expect(byId('registration-v1')).toHaveTextContent('身份证号码与姓名不一致'));
});

test('查看完整信息 requires a purpose, says it is audit-logged, and shows the data once', async () => {
  serve([registration()]);
  render(<VolunteersPage />);
  await findById('registration-v1');
  await tap('reveal-v1');
  expect(byId('reveal-notice')).toHaveTextContent('审计日志');
  await tap('reveal-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写查看用途');
  await emit('action-text', '开');
  await tap('reveal-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('查看用途至少 2 个字');
  expect(callsTo('volunteer', 'revealIdentity')).toHaveLength(0);

  await emit('action-text', '开具志愿服务证明');
  await tap('reveal-submit');
  expect(callsTo('volunteer', 'revealIdentity')).toEqual([{ openid: 'v1', purpose: '开具志愿服务证明' }]);
  expect(await findById('revealed-id')).toHaveTextContent('32010219900307123X');
  expect(byId('revealed-phone')).toHaveTextContent('13812345678');

  // Closed: gone, and the card still shows only the masked values.
  await tap('reveal-close');
  expect(byId('revealed-id')).toBeNull();
  expect(document.body).not.toHaveTextContent('32010219900307123X');
  expect(byId('registration-v1-id')).toHaveTextContent('3201**********123X');

  // A second look needs a new purpose (nothing kept).
  await tap('reveal-v1');
  expect((byId('action-text') as HTMLTextAreaElement | null)?.value ?? '').toBe('');
});

test('the server’s refusal of a reveal is shown in the dialog', async () => {
  const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
  serve([registration()]);
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.listRegistrations': () => ({ items: [registration()], total: 1 }),
    'volunteer.revealIdentity': () => {
      throw new ApiCallError({ code: 'FORBIDDEN', message: '只能查看本社区志愿者的信息' });
    },
  });
  render(<VolunteersPage />);
  await findById('registration-v1');
  await tap('reveal-v1');
  await emit('action-text', '开具证明');
  await tap('reveal-submit');
  await waitFor(() => expect(byId('action-dialog-error')).toHaveTextContent('只能查看本社区志愿者的信息'));
  expect(byId('revealed-id')).toBeNull();
});

test('更正申请: accept or decline with a reply', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.listCorrections': (d: RequestOf<'volunteer', 'listCorrections'>) =>
      d.status === 'pending' ? { items: [correction()], total: 1 } : { items: [], total: 0 },
    'volunteer.handleCorrection': (d: RequestOf<'volunteer', 'handleCorrection'>) =>
      correction({ status: d.accept ? 'accepted' : 'declined', reply: d.reply }),
  });
  render(<VolunteersPage />);
  await tap((await findById('volunteers-tab-corrections')).id);
  const card = await findById('correction-cr1');
  expect(card).toHaveTextContent('更正手机号码');
  expect(card).toHaveTextContent('手机号已更换');
  expect(callsTo('volunteer', 'listCorrections')[0]).toEqual({
    communityId: 'c1',
    status: 'pending',
    pageSize: 20,
  });

  await tap('correction-decline-cr1');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写答复');
  await emit('action-text', '经核对原记录无误');
  await tap('action-dialog-submit');
  await waitFor(() =>
    expect(callsTo('volunteer', 'handleCorrection')).toEqual([
      { correctionId: 'cr1', accept: false, reply: '经核对原记录无误' },
    ]),
  );
});

test('补卡申请: approve after confirming, reject with a reason', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.listMakeups': () => ({ items: [makeup(), makeup({ _id: 'mk2' })], total: 2 }),
    'volunteer.reviewMakeup': (d: RequestOf<'volunteer', 'reviewMakeup'>) =>
      makeup({ _id: d.makeupId, status: d.approve ? 'approved' : 'rejected' }),
  });
  render(<VolunteersPage />);
  await tap((await findById('volunteers-tab-makeups')).id);
  expect(await findById('makeup-mk1')).toHaveTextContent('手机没电，忘记签到');
  await tap('makeup-approve-mk1');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('服务时长和积分');
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('volunteer', 'reviewMakeup')).toEqual([{ makeupId: 'mk1', approve: true }]),
  );

  await tap('makeup-reject-mk2');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  await emit('action-text', '当天未到场');
  await tap('action-dialog-submit');
  await waitFor(() =>
    expect(callsTo('volunteer', 'reviewMakeup')[1]).toEqual({
      makeupId: 'mk2',
      approve: false,
      reason: '当天未到场',
    }),
  );
});

test('积分规则: points per hour and a yearly expiry date, or none', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.settings': () => settings(),
    'volunteer.configure': (d: RequestOf<'volunteer', 'configure'>) =>
      settings({ pointsPerHour: d.pointsPerHour, pointsExpiry: d.pointsExpiry }),
  });
  render(<VolunteersPage />);
  await tap((await findById('volunteers-tab-settings')).id);
  const perHour = (await findById('rule-per-hour')) as HTMLInputElement;
  expect(perHour.value).toBe('1');
  expect(byId('rule-expiry')).toBeNull();

  await emit('rule-per-hour', '2');
  await tap('rule-expires');
  await emit('rule-expiry', '12-32');
  await tap('rules-save');
  expect(byId('rule-expiry-error')).toHaveTextContent('月-日');
  expect(callsTo('volunteer', 'configure')).toHaveLength(0);

  await emit('rule-expiry', '12-31');
  await tap('rules-save');
  await waitFor(() =>
    expect(callsTo('volunteer', 'configure')).toEqual([
      { communityId: 'c1', pointsPerHour: 2, pointsExpiry: '12-31' },
    ]),
  );

  await tap('rule-expires');
  await tap('rules-save');
  await waitFor(() =>
    expect(callsTo('volunteer', 'configure')[1]).toEqual({
      communityId: 'c1',
      pointsPerHour: 2,
      pointsExpiry: null,
    }),
  );
});
