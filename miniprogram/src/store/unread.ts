import Taro, { useDidShow } from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import { call, getToken } from '../api';

/** Tab pages, in tab-bar order (app.config.ts). switchTab cannot carry a query string. */
export const TAB_PAGES = [
  'pages/index/index',
  'pages/activity/list',
  'pages/grievance/index',
  'pages/messages/index',
  'pages/me/index',
];

/** Index of 消息 in the tab bar. */
export const MESSAGES_TAB_INDEX = TAB_PAGES.indexOf('pages/messages/index');

/**
 * The number of unread messages, shown as a badge on the 消息 tab. Any page can read it
 * (useUnread) or set it from a server answer (setUnread, e.g. after notify.markRead).
 */
let unread = 0;
const listeners = new Set<() => void>();

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function getUnread(): number {
  return unread;
}

export function useUnread(): number {
  return useSyncExternalStore(subscribe, getUnread, getUnread);
}

/** setTabBarBadge fails on non-tab pages (and where there is no tab bar): nothing to do then. */
function applyBadge(n: number): void {
  try {
    const p =
      n > 0
        ? Taro.setTabBarBadge({ index: MESSAGES_TAB_INDEX, text: n > 99 ? '99+' : String(n) })
        : Taro.removeTabBarBadge({ index: MESSAGES_TAB_INDEX });
    void Promise.resolve(p).catch(() => undefined);
  } catch {
    /* ignore */
  }
}

export function setUnread(n: number): void {
  const next = Math.max(0, Math.floor(n) || 0);
  applyBadge(next);
  if (next === unread) return;
  unread = next;
  listeners.forEach((l) => l());
}

let pending: Promise<number> | null = null;

/** Fetches notify.unreadCount and updates the badge; never throws (keeps the last count). */
export function refreshUnread(): Promise<number> {
  // H5 without a session: the call would send the user to the login page.
  if (process.env.TARO_ENV === 'h5' && !getToken()) return Promise.resolve(unread);
  if (!pending) {
    pending = call('notify', 'unreadCount', {})
      .then((r) => {
        setUnread(r.unread);
        return r.unread;
      })
      .catch(() => unread)
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

/** For tab pages: refresh the 消息 badge whenever the page shows. */
export function useUnreadBadge(): void {
  useDidShow(() => {
    void refreshUnread();
  });
}
