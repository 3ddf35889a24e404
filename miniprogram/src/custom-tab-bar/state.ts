import { useDidShow } from '@tarojs/taro';
import { useSyncExternalStore } from 'react';

/**
 * Which tab the weapp custom tab bar (custom-tab-bar/index.tsx) marks as selected. WeChat gives
 * every tab page its own instance of the tab bar; they all read this one value, which each tab
 * page sets when it shows (useTabBarSelected) and a tap sets at once (before switchTab lands).
 * In H5 Taro's own tab bar follows the route and nothing reads this.
 */
export const TABS = [
  { pagePath: 'pages/index/index', text: '首页', icon: 'home' },
  { pagePath: 'pages/activity/list', text: '活动', icon: 'calendar' },
  { pagePath: 'pages/grievance/index', text: '诉求', icon: 'comment' },
  { pagePath: 'pages/messages/index', text: '消息', icon: 'message' },
  { pagePath: 'pages/me/index', text: '我的', icon: 'user' },
] as const;

export type TabPath = (typeof TABS)[number]['pagePath'];

let selected = 0;
const listeners = new Set<() => void>();

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function getSelectedTab(): number {
  return selected;
}

export function setSelectedTab(index: number): void {
  if (index === selected || index < 0 || index >= TABS.length) return;
  selected = index;
  listeners.forEach((l) => l());
}

export function useSelectedTab(): number {
  return useSyncExternalStore(subscribe, getSelectedTab, getSelectedTab);
}

/** For the five tab pages: mark this page's tab whenever the page shows. */
export function useTabBarSelected(pagePath: TabPath): void {
  useDidShow(() => {
    setSelectedTab(TABS.findIndex((t) => t.pagePath === pagePath));
  });
}
