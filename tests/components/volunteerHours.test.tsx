import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetSession } from '../../miniprogram/src/store/session';
import HoursPage from '../../miniprogram/src/packages/volunteer/hours';
import CertificatePage from '../../miniprogram/src/packages/volunteer/certificate';
import VerifyPage from '../../miniprogram/src/packages/volunteer/verify';
import RankingsPage from '../../miniprogram/src/packages/volunteer/rankings';
import MePage from '../../miniprogram/src/pages/me/index';
import type { CertificateView } from '../../types/volunteer';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { START, meView } from './fixtures';
import { byId, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { hourEntry, makeup, page, pointsEntry, pointsSummary, profile } from './volunteerFixtures';
import { setRouterParams } from './__mocks__/taro';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => resetSession());

const ledgerHandlers = {
  'volunteer.profile': () => profile(),
  'points.summary': () => pointsSummary({ balance: 86 }),
  'volunteer.myHours': () =>
    page([
      hourEntry(),
      hourEntry({
        _id: 'grant1',
        kind: 'granted',
        hours: 1.5,
        reason: '组织协调表现突出',
        activityTitle: '重阳节活动',
      }),
    ]),
  'points.ledger': () =>
    page([
      pointsEntry(),
      pointsEntry({ _id: 'redeem_r1', kind: 'redeemed', points: -30, reason: '兑换 环保购物袋' }),
      pointsEntry({ _id: 'adjust_x', kind: 'adjusted', points: 5, reason: '补录积分' }),
      pointsEntry({ _id: 'expire_u1_2029', kind: 'expired', points: -12, reason: undefined }),
    ]),
  'volunteer.myMakeups': () =>
    page([makeup(), makeup({ _id: 'm2', status: 'rejected', rejectReason: '现场无签到记录' })]),
};

test('服务时长 tab labels 信用时长 and 荣誉时长; balances on top', async () => {
  setHandlers(ledgerHandlers);
  render(<HoursPage />);
  const rec = await findById('hour-rec_a1_u1');
  expect(rec).toHaveTextContent('信用时长');
  expect(rec).toHaveTextContent('+2 小时');
  const grant = byId('hour-grant1')!;
  expect(grant).toHaveTextContent('荣誉时长');
  expect(grant).toHaveTextContent('+1.5 小时');
  expect(grant).toHaveTextContent('组织协调表现突出');
  await waitFor(() => expect(byId('total-recorded')).toHaveTextContent('120'));
  expect(byId('total-granted')).toHaveTextContent('4');
  expect(byId('points-balance')).toHaveTextContent('86');
  expect(callsTo('points', 'ledger')).toHaveLength(0);
});

test('积分明细 shows each kind with signed amounts', async () => {
  setRouterParams({ tab: 'points' });
  setHandlers(ledgerHandlers);
  render(<HoursPage />);
  const earned = await findById('points-earn_a1_u1');
  expect(earned).toHaveTextContent('获得');
  expect(byId('points-earn_a1_u1-amount')).toHaveTextContent('+2');
  expect(byId('points-redeem_r1')).toHaveTextContent('兑换');
  expect(byId('points-redeem_r1-amount')).toHaveTextContent('-30');
  expect(byId('points-adjust_x')).toHaveTextContent('调整');
  expect(byId('points-adjust_x-amount')).toHaveTextContent('+5');
  expect(byId('points-expire_u1_2029')).toHaveTextContent('过期');
  expect(byId('points-expire_u1_2029-amount')).toHaveTextContent('-12');
  expect(callsTo('points', 'ledger')[0]).toEqual({ pageSize: 20 });
});

test('补卡记录 tab lists requests with their status and reasons', async () => {
  setHandlers(ledgerHandlers);
  render(<HoursPage />);
  await findById('hour-rec_a1_u1');
  await tap('hours-tab-makeups');
  expect(await findById('makeup-m1')).toHaveTextContent('待审核');
  expect(byId('makeup-m2')).toHaveTextContent('未通过');
  expect(byId('makeup-m2')).toHaveTextContent('现场无签到记录');
});

test('empty ledgers point to the services', async () => {
  setHandlers({ ...ledgerHandlers, 'volunteer.myHours': () => page([]) });
  render(<HoursPage />);
  await tap((await findById('hours-empty-action')).id);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/services' });
});

const CERT: CertificateView = {
  number: 'ZYFW-2030-000012',
  communityId: 'c1',
  issuer: '幸福里社区居民委员会',
  issuedAt: START,
  nameMasked: '张*姨',
  idMasked: '1101**********002X',
  recordedHours: 120,
  grantedHours: 4,
  services: [{ title: '敬老助餐 · 送餐员', date: '2030-11-02', hours: 2 }],
  verifyPath: 'packages/volunteer/verify?no=ZYFW-2030-000012&t=tok12345678',
  qrContent: 'https://tongxin.example.cn/v?no=ZYFW-2030-000012&t=tok12345678',
};

test('certificate: star progress, issuing, and the card with its verification QR', async () => {
  let certs: CertificateView[] = [];
  setHandlers({
    'volunteer.profile': () => profile(),
    'volunteer.myCertificates': () => ({ items: certs }),
    'volunteer.issueCertificate': () => {
      certs = [CERT];
      return CERT;
    },
  });
  render(<CertificatePage />);
  expect(await findById('star-next')).toHaveTextContent('距 2 星还差 180 小时');
  expect(byId('cert-empty')).toBeInTheDocument();
  await tap('cert-issue-btn');
  await waitFor(() => expect(callsTo('volunteer', 'issueCertificate')).toHaveLength(1));
  const card = await findById('cert-ZYFW-2030-000012');
  expect(card).toHaveTextContent('张*姨');
  expect(card).toHaveTextContent('1101**********002X');
  expect(card).toHaveTextContent('共 124 小时');
  expect(card).toHaveTextContent('幸福里社区居民委员会');
  // The QR carries what the server says a scan should open (here a 扫普通链接二维码 URL).
  expect(card.querySelector(`[data-qr="${CERT.qrContent}"]`)).not.toBeNull();
});

test('verify: 真实有效 for a known certificate, 未找到 otherwise', async () => {
  setRouterParams({ no: 'ZYFW-2030-000012', t: 'tok12345678' });
  setHandlers({
    'volunteer.verifyCertificate': () => ({
      valid: true,
      certificate: (({ verifyPath: _v, qrContent: _q, ...c }) => c)(CERT),
    }),
  });
  const { unmount } = render(<VerifyPage />);
  expect(await findById('verify-result')).toHaveTextContent('真实有效');
  expect(callsTo('volunteer', 'verifyCertificate')).toEqual([
    { number: 'ZYFW-2030-000012', token: 'tok12345678' },
  ]);
  unmount();

  // Opened by WeChat's scanner through a 扫普通链接二维码 rule: the scanned URL arrives as `q`.
  setRouterParams({ q: encodeURIComponent(CERT.qrContent), scancode_time: '1700000000' });
  const scanned = render(<VerifyPage />);
  await waitFor(() => expect(callsTo('volunteer', 'verifyCertificate')).toHaveLength(2));
  expect(callsTo('volunteer', 'verifyCertificate')[1]).toEqual({
    number: 'ZYFW-2030-000012',
    token: 'tok12345678',
  });
  expect(await findById('verify-result')).toHaveTextContent('真实有效');
  scanned.unmount();

  setRouterParams({ no: 'ZYFW-2030-000099', t: 'bad' });
  setHandlers({
    'volunteer.verifyCertificate': () => {
      throw new ApiCallError({ code: 'INVALID_INPUT', message: '输入有误' });
    },
  });
  render(<VerifyPage />);
  expect(await findById('verify-result')).toHaveTextContent('未找到');
  expect(byId('verify-valid')).toBeNull();
});

test('rankings: month and year, my rank, and opting out', async () => {
  let optedOut = false;
  setHandlers({
    'volunteer.rankings': ({ period }: { period?: 'month' | 'year' }) => ({
      communityId: 'c1',
      period: period ?? 'month',
      periodKey: period === 'year' ? '2030' : '2030-11',
      items: [
        { rank: 1, openid: 'x', nickName: '李大爷', hours: 20 },
        ...(optedOut ? [] : [{ rank: 2, openid: 'u1', nickName: '张阿姨', hours: 6 }]),
      ],
      me: { rank: optedOut ? undefined : 2, hours: 6, optedOut },
    }),
    'volunteer.setRankingOptOut': ({ optOut }: { optOut: boolean }) => {
      optedOut = optOut;
      return {};
    },
  });
  render(<RankingsPage />);
  expect(await findById('rank-me-rank')).toHaveTextContent('第 2 名');
  expect(byId('rank-1')).toHaveTextContent('李大爷');
  expect(byId('rank-1')).toHaveTextContent('20 小时');
  await tap('rank-tab-year');
  await waitFor(() => expect(callsTo('volunteer', 'rankings').at(-1)).toEqual({ period: 'year' }));

  await tap('rank-optout');
  await waitFor(() => expect(callsTo('volunteer', 'setRankingOptOut')).toEqual([{ optOut: true }]));
  await waitFor(() => expect(byId('rank-me-rank')).toHaveTextContent('未参与排行'));
  expect(byId('rank-2')).toBeNull();
});

test('我的 shows the volunteer card with stars, hours and points', async () => {
  setHandlers({ 'user.me': () => meView(), 'volunteer.profile': () => profile() });
  render(<MePage />);
  expect(await findById('me-volunteer-hours')).toHaveTextContent('124');
  expect(byId('me-volunteer-points')).toHaveTextContent('86');
  expect(byId('me-volunteer-stars')).toHaveTextContent('★');
  await tap('me-volunteer-points');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/mall' });
});

test('workers find their work pages through the one 工作台 entry on 我的', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'volunteer.profile': () => profile({ registration: null }),
  });
  render(<MePage />);
  await findById('entry-workbench');
  expect(byId('entry-volunteer-review')).toBeNull();
  await tap('entry-workbench');
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/workbench' });
  // Not registered: the card is a plain entry to register.
  expect(byId('entry-volunteer')).toHaveTextContent('去登记');
});
