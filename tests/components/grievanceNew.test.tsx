import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import NewGrievance from '../../miniprogram/src/packages/grievance/new';
import { DRAFT_KEY } from '../../miniprogram/src/packages/grievance/draft';
import { meView } from './fixtures';
import { CATEGORIES, POLICY, grievanceDetail, stubIntersectionObserver } from './grievanceFixtures';
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

function emit(id: string, type: 'input' | 'change' | 'blur', value: unknown) {
  const el = byId(id);
  if (!el) throw new Error(`#${id} missing`);
  act(() => {
    el.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}

async function tap(id: string) {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
}

const TEXT = '3 号楼东侧路灯坏了一个星期，晚上很黑';

type Mutable = { chooseImage?: jest.Mock };
const taro = Taro as unknown as Mutable;

beforeEach(() => {
  resetSession();
  setHandlers({
    'user.me': () => meView(),
    'grievance.categories': () => ({ categories: CATEGORIES, policy: POLICY }),
    'grievance.submit': () => grievanceDetail({ _id: 'g-new' }),
  });
});

afterEach(() => {
  delete taro.chooseImage;
  delete (globalThis as { fetch?: unknown }).fetch;
});

test('shows inline errors in Chinese and does not submit an invalid form', async () => {
  render(<NewGrievance />);
  await findById('field-category-sanitation');
  emit('field-text', 'input', '路灯坏了');
  expect(byId('field-text-counter')).toHaveTextContent('4/500');
  emit('field-phone', 'input', '12345');
  emit('field-phone', 'blur', '12345');
  expect(byId('field-phone-error')).toHaveTextContent('请填写 11 位手机号');

  await tap('grievance-submit');
  expect(byId('field-category-error')).toHaveTextContent('请选择诉求类别');
  expect(byId('field-text-error')).toHaveTextContent('请至少写 10 个字，说清楚问题');
  expect(byId('field-phone-error')).toHaveTextContent('请填写 11 位手机号');
  expect(callsTo('grievance', 'submit')).toHaveLength(0);

  // Fixing a field clears its message.
  emit('field-phone', 'input', '13812345678');
  expect(byId('field-phone-error')).toBeNull();
});

test('submits category key, trimmed text, photo file ids and isPublic, then opens the detail', async () => {
  Taro.setStorageSync('txy:token', 'tok-1');
  taro.chooseImage = jest.fn(() => Promise.resolve({ tempFilePaths: ['blob:one', 'blob:two'] }));
  let n = 0;
  const fetchMock = jest.fn((url: string, init?: { headers?: Record<string, string> }) => {
    if (url.startsWith('blob:')) return Promise.resolve({ blob: () => Promise.resolve(new Blob(['x'])) });
    n += 1;
    const id = n;
    expect(init?.headers?.Authorization).toBe('Bearer tok-1');
    return Promise.resolve({
      json: () => Promise.resolve({ ok: true, data: { fileId: `local/f${id}`, url: `/files/f${id}.jpg` } }),
    });
  });
  (globalThis as { fetch?: unknown }).fetch = fetchMock;

  render(<NewGrievance />);
  await tap(await findById('field-category-facility').then((el) => el.id));
  expect(byId('field-category-facility')).toHaveAttribute('aria-checked', 'true');
  emit('field-text', 'input', `  ${TEXT}  `);

  await tap('field-photos-add');
  await waitFor(() => expect(byId('field-photos-remove-1')).toBeInTheDocument());
  expect(fetchMock.mock.calls.filter((c) => c[0] === '/api/upload')).toHaveLength(2);
  expect(byId('field-photos-remove-0')).toHaveAttribute('aria-label', '删除第 1 张图片');
  await tap('field-photos-remove-0');
  expect(byId('field-photos-remove-1')).toBeNull();

  await tap('field-public');
  await tap('grievance-submit');

  await waitFor(() => expect(callsTo('grievance', 'submit')).toHaveLength(1));
  expect(callsTo('grievance', 'submit')[0]).toEqual({
    communityId: 'c1',
    category: 'facility',
    text: TEXT,
    photos: ['local/f2'],
    isPublic: true,
  });
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/grievance/detail?id=g-new' });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交' }));
  // The draft is gone after success.
  expect(Taro.getStorageSync(DRAFT_KEY)).toBe('');
});

test('the draft survives leaving the page and is restored on return', async () => {
  const first = render(<NewGrievance />);
  await tap(await findById('field-category-sanitation').then((el) => el.id));
  emit('field-text', 'input', TEXT);
  emit('field-phone', 'input', '13812345678');
  first.unmount();

  render(<NewGrievance />);
  await findById('field-category-sanitation');
  expect(byId('field-category-sanitation')).toHaveAttribute('aria-checked', 'true');
  expect(byId('field-text')).toHaveAttribute('value', TEXT);
  expect(byId('field-text-counter')).toHaveTextContent(`${TEXT.length}/500`);
  expect(byId('field-phone')).toHaveAttribute('value', '13812345678');

  await tap('grievance-submit');
  await waitFor(() => expect(callsTo('grievance', 'submit')).toHaveLength(1));
  expect(callsTo('grievance', 'submit')[0]).toMatchObject({ phone: '13812345678', isPublic: false });
  expect(Taro.getStorageSync(DRAFT_KEY)).toBe('');
});

test('RATE_LIMITED shows the server message and keeps the form', async () => {
  const message = '今天已反映 5 次，请明天再来，紧急情况请拨打 12345';
  setHandlers({
    'user.me': () => meView(),
    'grievance.categories': () => ({ categories: CATEGORIES, policy: POLICY }),
    'grievance.submit': () => {
      throw new ApiCallError({ code: 'RATE_LIMITED', message });
    },
  });
  render(<NewGrievance />);
  await tap(await findById('field-category-safety').then((el) => el.id));
  emit('field-text', 'input', TEXT);
  await tap('grievance-submit');
  await waitFor(() => expect(byId('submit-error')).toHaveTextContent(message));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: message }));
  expect(Taro.redirectTo).not.toHaveBeenCalled();
  expect(byId('grievance-submit')).not.toBeDisabled();
  expect(String(Taro.getStorageSync(DRAFT_KEY))).toContain('safety');
});
