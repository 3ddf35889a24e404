import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { setRouterParams } from './__mocks__/taro';
import GrievanceDetailPage from '../../miniprogram/src/packages/grievance/detail';
import { grievanceDetail, CREATED, stubIntersectionObserver } from './grievanceFixtures';
import { HOUR } from './fixtures';
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

beforeEach(() => {
  setRouterParams({ id: 'g1' });
});

test('shows key facts and the timeline in order with role labels', async () => {
  setHandlers({
    'grievance.detail': () =>
      grievanceDetail({ stage: 'inProgress', dueAt: CREATED + 25 * HOUR, resolveBy: CREATED + 25 * HOUR }),
  });
  render(<GrievanceDetailPage />);
  await findById('grievance-timeline');
  expect(byId('grievance-detail-page')).toBeInTheDocument();
  expect(byId('grievance-stage')).toHaveTextContent('办理中');
  expect(byId('grievance-number-text')).toHaveTextContent('20301121-0007');
  // 2030-11-22 15:00 Shanghai is a Friday.
  expect(byId('grievance-deadline')).toHaveTextContent('须于 2030年11月22日 周五 15:00 前办结');
  expect(byId('grievance-deadline')).not.toHaveTextContent('已超期');

  const items = ['timeline-0', 'timeline-1', 'timeline-2', 'timeline-3'].map((id) => byId(id)!);
  expect(items[0]).toHaveTextContent('提交诉求');
  expect(items[0]).toHaveTextContent('居民');
  expect(items[1]).toHaveTextContent('受理');
  expect(items[1]).toHaveTextContent('社区工作者');
  expect(items[1]).toHaveTextContent('已受理，尽快安排');
  expect(items[2]).toHaveTextContent('派单');
  expect(items[3]).toHaveTextContent('开始办理');
  expect(items[3]).toHaveTextContent('承办人');
  expect(byId('timeline-4')).toBeNull();
  // Rendered in the server's order.
  const order = Array.from(byId('grievance-timeline')!.querySelectorAll('[id^="timeline-"]')).map(
    (e) => e.id,
  );
  expect(order).toEqual(['timeline-0', 'timeline-1', 'timeline-2', 'timeline-3']);
  // No actions for the owner when nothing is allowed.
  expect(byId('action-rate')).toBeNull();
});

test('an overdue grievance says so in red text', async () => {
  setHandlers({ 'grievance.detail': () => grievanceDetail({ overdue: true }) });
  render(<GrievanceDetailPage />);
  const line = await findById('grievance-deadline');
  expect(line).toHaveTextContent('前受理（已超期）');
  expect(line.className).toContain('grievance-overdue');
  expect(byId('grievance-stage')).toHaveTextContent('超期');
});

test('the owner can rate only when allowed; 不满意 asks for confirmation before rating', async () => {
  let rated = false;
  setHandlers({
    'grievance.detail': () =>
      rated
        ? grievanceDetail({ stage: 'reopened', can: {} })
        : grievanceDetail({ stage: 'resolved', can: { rate: true } }),
    'grievance.rate': () => {
      rated = true;
      return grievanceDetail({ stage: 'reopened', can: {} });
    },
  });
  render(<GrievanceDetailPage />);
  await tap((await findById('action-rate')).id);
  await tap((await findById('rate-dissatisfied')).id);
  expect(byId('rate-dissatisfied')).toHaveAttribute('aria-checked', 'true');
  await tap('rate-submit');
  await screen.findByText('选择不满意后，这条诉求将退回重办，并优先处理。');
  expect(callsTo('grievance', 'rate')).toHaveLength(0);
  await act(async () => {
    fireEvent.click(screen.getByText('确定不满意'));
  });
  await waitFor(() =>
    expect(callsTo('grievance', 'rate')).toEqual([{ grievanceId: 'g1', satisfaction: 'dissatisfied' }]),
  );
  await waitFor(() => expect(byId('grievance-stage')).toHaveTextContent('重办'));
  expect(byId('action-rate')).toBeNull();
});

test('a satisfied rating is sent at once with the comment', async () => {
  setHandlers({
    'grievance.detail': () => grievanceDetail({ stage: 'resolved', can: { rate: true } }),
    'grievance.rate': () => grievanceDetail({ stage: 'rated' }),
  });
  render(<GrievanceDetailPage />);
  await tap((await findById('action-rate')).id);
  // Nothing chosen yet: an inline message, no call.
  await tap('rate-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请选择满意程度');
  await tap('rate-satisfied');
  act(() => {
    byId('action-text')!.dispatchEvent(
      new CustomEvent('input', { detail: { value: ' 修得很快 ' }, bubbles: true }),
    );
  });
  await tap('rate-submit');
  await waitFor(() =>
    expect(callsTo('grievance', 'rate')).toEqual([
      { grievanceId: 'g1', satisfaction: 'satisfied', comment: '修得很快' },
    ]),
  );
});

test('staff see 受理 when allowed and accepting reloads the detail', async () => {
  let accepted = false;
  setHandlers({
    'grievance.detail': () =>
      accepted
        ? grievanceDetail({ viewer: 'manager', stage: 'accepted', can: { dispatch: true } })
        : grievanceDetail({ viewer: 'manager', can: { accept: true, returnGrievance: true } }),
    'grievance.accept': () => {
      accepted = true;
      return grievanceDetail({ viewer: 'manager', stage: 'accepted', can: { dispatch: true } });
    },
  });
  render(<GrievanceDetailPage />);
  const accept = await findById('action-accept');
  expect(accept).toHaveTextContent('受理');
  expect(byId('action-returnGrievance')).toHaveTextContent('退回');
  expect(byId('action-rate')).toBeNull();
  // Staff see the phone masked, without 显示.
  expect(byId('grievance-phone-value')).toHaveTextContent('138****5678');
  expect(byId('reveal-phone')).toBeNull();
  await tap('action-accept');
  await waitFor(() => expect(callsTo('grievance', 'accept')).toEqual([{ grievanceId: 'g1' }]));
  await waitFor(() => expect(byId('action-dispatch')).toBeInTheDocument());
  expect(byId('action-accept')).toBeNull();
  expect(byId('grievance-stage')).toHaveTextContent('已受理');
  expect(callsTo('grievance', 'detail').length).toBeGreaterThanOrEqual(2);
});

test('退回 needs a reason and a confirmation', async () => {
  setHandlers({
    'grievance.detail': () =>
      grievanceDetail({ viewer: 'manager', can: { accept: true, returnGrievance: true } }),
    'grievance.returnGrievance': () => grievanceDetail({ viewer: 'manager', stage: 'returned' }),
  });
  render(<GrievanceDetailPage />);
  await tap((await findById('action-returnGrievance')).id);
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写退回原因');
  act(() => {
    byId('action-text')!.dispatchEvent(
      new CustomEvent('input', { detail: { value: '不属于社区办理范围' }, bubbles: true }),
    );
  });
  await tap('action-dialog-submit');
  await screen.findByText('退回后这条诉求即结束，居民会看到退回原因。');
  expect(callsTo('grievance', 'returnGrievance')).toHaveLength(0);
  await act(async () => {
    fireEvent.click(screen.getByText('确定退回'));
  });
  await waitFor(() =>
    expect(callsTo('grievance', 'returnGrievance')).toEqual([
      { grievanceId: 'g1', reason: '不属于社区办理范围' },
    ]),
  );
});

test('派单 offers the handlers and dispatches to the chosen one', async () => {
  setHandlers({
    'grievance.detail': () =>
      grievanceDetail({ viewer: 'manager', stage: 'accepted', can: { dispatch: true } }),
    'grievance.handlers': () => ({
      handlers: [
        { kind: 'worker', id: 'w2', name: '李社工', description: '' },
        { kind: 'unit', id: 'unit1', name: '区人民医院', description: '驻区单位' },
      ],
    }),
    'grievance.dispatch': () => grievanceDetail({ viewer: 'manager', stage: 'dispatched' }),
  });
  render(<GrievanceDetailPage />);
  await tap((await findById('action-dispatch')).id);
  await tap((await findById('dispatch-handler-unit:unit1')).id);
  await tap('action-dialog-submit');
  await waitFor(() =>
    expect(callsTo('grievance', 'dispatch')).toEqual([
      { grievanceId: 'g1', handler: { kind: 'unit', id: 'unit1' } },
    ]),
  );
  expect(callsTo('grievance', 'handlers')).toEqual([{ communityId: 'c1' }]);
});

test('the owner sees the masked phone and 显示 reveals the full number, tapping again hides it', async () => {
  setHandlers({
    'grievance.detail': () => grievanceDetail(),
    'grievance.revealPhone': () => ({ phone: '13812345678' }),
  });
  render(<GrievanceDetailPage />);
  const value = await findById('grievance-phone-value');
  expect(value).toHaveTextContent('138****5678');
  expect(byId('reveal-phone')).toHaveTextContent('显示');
  await tap('reveal-phone');
  await waitFor(() => expect(byId('grievance-phone-value')).toHaveTextContent('13812345678'));
  expect(callsTo('grievance', 'revealPhone')).toEqual([{ grievanceId: 'g1' }]);
  expect(byId('reveal-phone')).toHaveTextContent('隐藏');
  await tap('reveal-phone');
  expect(byId('grievance-phone-value')).toHaveTextContent('138****5678');
  expect(Taro.showToast).not.toHaveBeenCalled();
});
