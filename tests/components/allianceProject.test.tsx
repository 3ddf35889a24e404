import { act, fireEvent, render, waitFor } from '@testing-library/react';
import { setRouterParams } from './__mocks__/taro';
import ProjectPage from '../../miniprogram/src/packages/alliance/project';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { claim, projectDetail } from './allianceFixtures';
import { stubIntersectionObserver } from './grievanceFixtures';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

stubIntersectionObserver();

const byId = (id: string) => document.getElementById(id);

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

async function tap(id: string) {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
}

function emit(id: string, value: string) {
  act(() => {
    byId(id)!.dispatchEvent(new CustomEvent('input', { detail: { value }, bubbles: true }));
  });
}

beforeEach(() => {
  setRouterParams({ id: 'p1' });
});

test('shows the key facts, phase, places and tasks', async () => {
  setHandlers({
    'alliance.projectDetail': () =>
      projectDetail({
        activeClaims: 1,
        claims: [claim({ status: 'approved' })],
        updates: [
          {
            kind: 'progress',
            at: Date.UTC(2030, 10, 22, 6, 0),
            unitId: 'unitA',
            unitName: '区人民医院',
            text: '已完成摸排',
            photoUrls: [],
          },
        ],
      }),
  });
  render(<ProjectPage />);
  await findById('project-title');
  expect(byId('project-phase')).toHaveTextContent('认领中');
  expect(byId('project-places')).toHaveTextContent('已认领 1 / 2 个单位，还可认领 1 个');
  expect(byId('project-tasks')).toHaveTextContent('1. 摸排需求');
  expect(byId('project-rating')).toHaveTextContent('暂无评分');
  expect(byId('claim-p1_unitA')).toHaveTextContent('区人民医院');
  expect(byId('claim-p1_unitA')).toHaveTextContent('已通过');
  expect(byId('progress-list')).toHaveTextContent('已完成摸排');
  // Nothing allowed: no actions.
  expect(byId('claim-project')).toBeNull();
  expect(byId('approve-p1_unitA')).toBeNull();
  expect(byId('rate-project')).toBeNull();
});

test('unit staff claim with a plan; a short plan is refused inline', async () => {
  setHandlers({
    'alliance.projectDetail': () => projectDetail({ can: { claim: true } }),
    'alliance.claimProject': () => projectDetail({ activeClaims: 1, claims: [claim()] }),
  });
  render(<ProjectPage />);
  await tap((await findById('claim-project')).id);
  emit('action-text', '我们来做');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('认领方案至少 10 个字');
  expect(callsTo('alliance', 'claimProject')).toHaveLength(0);

  emit('action-text', '  每月派 2 名医生到社区义诊，负责健康讲座。 ');
  await tap('action-dialog-submit');
  await waitFor(() =>
    expect(callsTo('alliance', 'claimProject')).toEqual([
      { projectId: 'p1', plan: '每月派 2 名医生到社区义诊，负责健康讲座。' },
    ]),
  );
  // The server's answer is shown: the claim is pending and the button is gone.
  await waitFor(() => expect(byId('claim-p1_unitA')).toHaveTextContent('待审核'));
  expect(byId('claim-project')).toBeNull();
  expect(byId('action-dialog-submit')).toBeNull();
});

test('a worker approves or declines pending claims; declining needs a reason and a confirmation', async () => {
  const pending = claim();
  const approved = claim({ _id: 'p1_unitB', unitId: 'unitB', unitName: '实验小学', status: 'approved' });
  setHandlers({
    'alliance.projectDetail': () =>
      projectDetail({ activeClaims: 2, claims: [approved, pending], can: { review: true, milestone: true } }),
    'alliance.reviewClaim': () =>
      projectDetail({
        activeClaims: 1,
        claims: [approved, { ...pending, status: 'declined', reason: '方案不够具体' }],
        can: { milestone: true },
      }),
  });
  render(<ProjectPage />);
  await findById('approve-p1_unitA');
  expect(byId('decline-p1_unitA')).toHaveTextContent('不通过');
  // Only pending claims can be reviewed.
  expect(byId('approve-p1_unitB')).toBeNull();
  expect(byId('decline-p1_unitB')).toBeNull();

  await tap('decline-p1_unitA');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  expect(callsTo('alliance', 'reviewClaim')).toHaveLength(0);

  emit('action-text', '方案不够具体');
  await tap('action-dialog-submit');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('区人民医院」会看到不通过的理由');
  expect(callsTo('alliance', 'reviewClaim')).toHaveLength(0);
  await tap('confirm-dialog-ok');
  await waitFor(() => expect(callsTo('alliance', 'reviewClaim')).toHaveLength(1));
  expect(callsTo('alliance', 'reviewClaim')).toEqual([
    { projectId: 'p1', unitId: 'unitA', approve: false, reason: '方案不够具体' },
  ]);
  await waitFor(() => expect(byId('claim-p1_unitA')).toHaveTextContent('未通过'));
  expect(byId('claim-p1_unitA')).toHaveTextContent('方案不够具体');
  expect(byId('approve-p1_unitA')).toBeNull();
});

test('declining is not sent when the confirmation is cancelled', async () => {
  setHandlers({
    'alliance.projectDetail': () => projectDetail({ claims: [claim()], can: { review: true } }),
  });
  render(<ProjectPage />);
  await tap((await findById('decline-p1_unitA')).id);
  emit('action-text', '方案不够具体');
  await tap('action-dialog-submit');
  await tap((await findById('confirm-dialog-cancel')).id);
  expect(byId('confirm-dialog-ok')).toBeNull();
  expect(callsTo('alliance', 'reviewClaim')).toHaveLength(0);
  // Back in the dialog with the reason kept.
  expect(await findById('action-dialog-submit')).toBeInTheDocument();
  expect(byId('action-text')).toHaveProperty('value', '方案不够具体');
});

test('approving asks first, then calls reviewClaim', async () => {
  setHandlers({
    'alliance.projectDetail': () => projectDetail({ claims: [claim()], can: { review: true } }),
    'alliance.reviewClaim': () => projectDetail({ claims: [claim({ status: 'approved' })] }),
  });
  render(<ProjectPage />);
  await tap((await findById('approve-p1_unitA')).id);
  expect(await findById('confirm-dialog-text')).toHaveTextContent('将按方案参与项目');
  expect(callsTo('alliance', 'reviewClaim')).toHaveLength(0);
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('alliance', 'reviewClaim')).toEqual([{ projectId: 'p1', unitId: 'unitA', approve: true }]),
  );
});

test('after completion 评价 sends the chosen stars and comment', async () => {
  setHandlers({
    'alliance.projectDetail': () =>
      projectDetail({ status: 'completed', phase: 'completed', can: { rate: true } }),
    'alliance.rateProject': () =>
      projectDetail({ status: 'completed', phase: 'completed', avgRating: 4, ratingCount: 1, myRating: 4 }),
  });
  render(<ProjectPage />);
  await findById('rate-project');
  expect(byId('project-phase')).toHaveTextContent('已完成');
  await tap('rate-project');
  // No stars yet: an inline message, no call.
  await tap('rate-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请选择 1–5 星');
  await tap('rate-star-4');
  expect(byId('rate-star-4')).toHaveAttribute('aria-checked', 'true');
  emit('action-text', ' 扶手很结实 ');
  await tap('rate-submit');
  await waitFor(() =>
    expect(callsTo('alliance', 'rateProject')).toEqual([
      { projectId: 'p1', stars: 4, comment: '扶手很结实' },
    ]),
  );
  await waitFor(() => expect(byId('project-rating')).toHaveTextContent('4.0 分 · 1 人评价'));
  expect(byId('project-my-rating')).toHaveTextContent('4 星');
  expect(byId('rate-project')).toBeNull();
});

test('a worker completes the project after confirming, with a summary', async () => {
  setHandlers({
    'alliance.projectDetail': () =>
      projectDetail({ approvedClaims: 1, can: { complete: true, milestone: true } }),
    'alliance.completeProject': () => projectDetail({ status: 'completed', phase: 'completed', can: {} }),
  });
  render(<ProjectPage />);
  await tap((await findById('complete-project')).id);
  emit('action-text', '全部扶手安装完成');
  await tap('action-dialog-submit');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('完成后不能再发布进展');
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('alliance', 'completeProject')).toEqual([
      { projectId: 'p1', summary: '全部扶手安装完成' },
    ]),
  );
  await waitFor(() => expect(byId('project-phase')).toHaveTextContent('已完成'));
});

test('a missing project says so and offers a retry', async () => {
  setHandlers({
    'alliance.projectDetail': () => {
      throw new ApiCallError({ code: 'NOT_FOUND', message: '项目不存在' });
    },
  });
  render(<ProjectPage />);
  expect(await findById('error-state')).toHaveTextContent('项目不存在或已被删除');
  expect(byId('error-state-retry')).toBeInTheDocument();
});
