import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { meView } from './fixtures';
import { setHandlers } from './mockApi';
import { getState, resetSession, setCareMode } from '../../miniprogram/src/store/session';
import MePage from '../../miniprogram/src/pages/me/index';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);

beforeEach(() => {
  resetSession();
  setCareMode(false);
});

test('a resident sees 居民 and no 工作台', async () => {
  setHandlers({ 'user.me': () => meView([], '李大爷') });
  render(<MePage />);
  await waitFor(() => expect(byId('me-nickname')).toHaveTextContent('李大爷'));
  expect(byId('me-roles')).toHaveTextContent('居民');
  expect(byId('entry-my-activities')).toBeInTheDocument();
  expect(byId('entry-workbench')).toBeNull();
  expect(document.body).not.toHaveTextContent('工作台');
});

test('roles are shown in Chinese with their community, and workers get 工作台', async () => {
  setHandlers({
    'user.me': () =>
      meView([
        { role: 'member', communityId: 'c1' },
        { role: 'volunteer', communityId: 'c1' },
        { role: 'worker', communityId: 'c2' },
      ]),
  });
  render(<MePage />);
  await waitFor(() => expect(byId('me-roles')).toBeInTheDocument());
  expect(byId('role-member')).toHaveTextContent('党员 · 幸福里社区');
  expect(byId('role-volunteer')).toHaveTextContent('志愿者 · 幸福里社区');
  expect(byId('role-worker')).toHaveTextContent('社区工作者 · 和平社区');
  expect(byId('role-resident')).toBeNull();
  const bench = byId('entry-workbench');
  expect(bench).toHaveTextContent('工作台');
  fireEvent.click(bench!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/workbench' });
});

test('the 关怀模式 switch puts the page (and, in H5, the document) in care mode and remembers it', async () => {
  setHandlers({ 'user.me': () => meView() });
  render(<MePage />);
  await waitFor(() => expect(byId('me-page')).toBeInTheDocument());
  expect(byId('me-page')!.className).not.toContain('care-mode');
  expect(byId('care-mode-switch')).toHaveAttribute('aria-checked', 'false');
  act(() => {
    fireEvent.click(byId('care-mode-switch')!);
  });
  expect(getState().careMode).toBe(true);
  expect(byId('me-page')!.className).toContain('care-mode');
  expect(byId('care-mode-switch')).toHaveAttribute('aria-checked', 'true');
  expect(document.documentElement).toHaveClass('care-mode');
  expect(Taro.setStorageSync).toHaveBeenCalledWith('txy:careMode', true);
  act(() => {
    fireEvent.click(byId('care-mode-switch')!);
  });
  expect(byId('me-page')!.className).not.toContain('care-mode');
  expect(document.documentElement).not.toHaveClass('care-mode');
});
