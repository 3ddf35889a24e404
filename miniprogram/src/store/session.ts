import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import type { MeView } from '../../../types/api';
import type { Community } from '../../../types/domain';
import { call } from '../api';

/**
 * App-wide state: the signed-in user (user.me) and 关怀模式 (care mode: larger text and targets,
 * a simpler home, higher contrast — MIIT 适老化).
 * A tiny external store so every page sees changes at once (useSyncExternalStore).
 */
interface State {
  me: MeView | null;
  meError: unknown;
  careMode: boolean;
}

const CARE_MODE_KEY = 'txy:careMode';
/** The earlier 大字模式 switch: its choice carries over. */
const LEGACY_KEY = 'txy:largeText';

/** WeChat's own font size (设置 → 通用 → 字体大小) is above standard. */
export function wechatFontEnlarged(): boolean {
  if (process.env.TARO_ENV !== 'weapp') return false;
  try {
    const info = (Taro.getAppBaseInfo ? Taro.getAppBaseInfo() : Taro.getSystemInfoSync()) as {
      fontSizeScaleFactor?: number;
      fontSizeSetting?: number;
    };
    if (typeof info.fontSizeScaleFactor === 'number') return info.fontSizeScaleFactor > 1.05;
    // fontSizeSetting is in px; 17 is WeChat's standard size.
    return typeof info.fontSizeSetting === 'number' && info.fontSizeSetting > 17;
  } catch {
    return false;
  }
}

/** The user's own choice when they made one, otherwise WeChat's font size setting. */
function readCareMode(): boolean {
  try {
    for (const key of [CARE_MODE_KEY, LEGACY_KEY]) {
      const stored = Taro.getStorageSync(key);
      if (stored === true || stored === false) return stored;
    }
  } catch {
    /* ignore */
  }
  return wechatFontEnlarged();
}

/** H5: the tab bar and dialogs live outside the pages; a class on <html> reaches them. */
function markDocument(on: boolean): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  document.documentElement.classList.toggle('care-mode', on);
}

let state: State = { me: null, meError: null, careMode: readCareMode() };
markDocument(state.careMode);
const listeners = new Set<() => void>();

function set(patch: Partial<State>): void {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}

export function getState(): State {
  return state;
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSession(): State {
  return useSyncExternalStore(subscribe, getState, getState);
}

let pending: Promise<MeView> | null = null;

/** Loads user.me once (or again with force); concurrent callers share the request. */
export function loadMe(force = false): Promise<MeView> {
  if (state.me && !force) return Promise.resolve(state.me);
  if (!pending) {
    pending = call('user', 'me', {})
      .then((me) => {
        set({ me, meError: null });
        return me;
      })
      .catch((err: unknown) => {
        set({ meError: err });
        throw err;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

export async function switchCommunity(communityId: string): Promise<void> {
  const user = await call('user', 'switchCommunity', { communityId });
  if (state.me) set({ me: { ...state.me, user } });
}

export function setCareMode(on: boolean): void {
  try {
    Taro.setStorageSync(CARE_MODE_KEY, on);
  } catch {
    /* ignore */
  }
  markDocument(on);
  set({ careMode: on });
}

export function resetSession(): void {
  set({ me: null, meError: null });
}

/** The community the user is browsing: their chosen one, else the first they belong to. */
export function currentCommunity(me: MeView | null): Community | undefined {
  if (!me) return undefined;
  const id = me.user.currentCommunityId;
  return me.communities.find((c) => c._id === id) ?? me.communities[0];
}

export function isWorker(me: MeView | null): boolean {
  return !!me?.user.roles.some((r) => r.role === 'worker' || r.role === 'admin');
}

/** Who may be dispatched grievances (我的承办): unit staff, members, grid staff and workers. */
export function isHandler(me: MeView | null): boolean {
  return !!me?.user.roles.some((r) => r.role === 'unitStaff' || r.role === 'member' || r.role === 'worker');
}

/** 驻区单位 staff: the unit they act for (a user is bound to one unit). */
export function staffUnitId(me: MeView | null): string | undefined {
  return me?.user.roles.find((r) => r.role === 'unitStaff' && r.unitId)?.unitId;
}

export function isUnitStaff(me: MeView | null): boolean {
  return !!staffUnitId(me);
}

/** Party members (may report to their community as 在职党员). */
export function isMember(me: MeView | null): boolean {
  return !!me?.user.roles.some((r) => r.role === 'member');
}
