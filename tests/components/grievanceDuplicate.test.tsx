/**
 * 我要反映: the same text again within a day asks before submitting (issue 13 item 8); the check
 * reads the first page of grievance.mine and uses domain/grievance-duplicate.
 */
import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetSession } from '../../miniprogram/src/store/session';
import NewGrievance from '../../miniprogram/src/packages/grievance/new';
import { meView } from './fixtures';
import {
  CATEGORIES,
  POLICY,
  grievanceDetail,
  grievanceSummary,
  stubIntersectionObserver,
} from './grievanceFixtures';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

stubIntersectionObserver();

const byId = (id: string) => document.getElementById(id);
const findById = (id: string) =>
  waitFor(
    () => {
      const el = byId(id);
      if (!el) throw new Error(`#${id} not rendered`);
      return el;
    },
    { timeout: 5000 },
  );
function emit(id: string, type: 'input', value: unknown) {
  act(() => {
    byId(id)!.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}
const tap = async (id: string) => {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
};

const TEXT = '3 号楼东侧路灯坏了一个星期，晚上很黑，老人出门不方便';
const HOUR = 3600_000;

function setup(earlier: { preview: string; createdAt: number }[]) {
  resetSession();
  Taro.removeStorageSync('txy:grievanceDraft');
  setHandlers({
    'user.me': () => meView(),
    'grievance.categories': () => ({ categories: CATEGORIES, policy: POLICY }),
    'grievance.mine': () => ({
      items: earlier.map((e, i) => grievanceSummary({ _id: `g${i}`, ...e })),
      total: earlier.length,
    }),
    'grievance.submit': () => grievanceDetail({ _id: 'g-new' }),
  });
}

async function fillAndSubmit(text: string) {
  render(<NewGrievance />);
  await tap((await findById('field-category-facility')).id);
  emit('field-text', 'input', text);
  await tap('grievance-submit');
  await waitFor(() => expect(callsTo('grievance', 'mine')).toHaveLength(1));
}

test('a near-duplicate from the last 24 hours asks first; 再想想 submits nothing', async () => {
  setup([
    { preview: '3号楼东侧路灯坏了一个星期！晚上很黑，老人出门不方便。', createdAt: Date.now() - 3 * HOUR },
  ]);
  await fillAndSubmit(TEXT);
  await findById('confirm-dialog-ok');
  expect(document.body).toHaveTextContent('提示：你今天已提交过相似的诉求，仍要提交吗？');
  expect(callsTo('grievance', 'mine')[0]).toMatchObject({ pageSize: 20 });
  await tap('confirm-dialog-cancel');
  await waitFor(() => expect(byId('confirm-dialog-ok')).toBeNull());
  expect(callsTo('grievance', 'submit')).toHaveLength(0);
  expect(byId('grievance-submit')).not.toBeDisabled();
});

test('confirming submits anyway', async () => {
  setup([{ preview: TEXT, createdAt: Date.now() - HOUR }]);
  await fillAndSubmit(TEXT);
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('grievance', 'submit')).toHaveLength(1));
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/grievance/detail?id=g-new' });
});

test('a different text, or the same one older than a day, submits without asking', async () => {
  setup([
    { preview: '小区门口垃圾桶满了三天没人清理，气味很大', createdAt: Date.now() - HOUR },
    { preview: TEXT, createdAt: Date.now() - 25 * HOUR },
  ]);
  await fillAndSubmit(TEXT);
  await waitFor(() => expect(callsTo('grievance', 'submit')).toHaveLength(1));
  expect(byId('confirm-dialog-ok')).toBeNull();
  expect(document.body).not.toHaveTextContent('相似的诉求');
});
