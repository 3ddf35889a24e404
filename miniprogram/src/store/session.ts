import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import type { MeView } from '../../../types/api';
import type { Community } from '../../../types/domain';
import { call } from '../api';

/**
 * App-wide state: the signed-in user (user.me) and the large-text setting.
 * A tiny external store so every page sees changes at once (useSyncExternalStore).
 */
interface State {
  me: MeView | null;
  meError: unknown;
  largeText: boolean;
}

const LARGE_TEXT_KEY = 'txy:largeText';

function readLargeText(): boolean {
  try {
    const stored = Taro.getStorageSync(LARGE_TEXT_KEY);
    if (stored === true || stored === false) return stored;
  } catch {
    /* ignore */
  }
  return false;
}

let state: State = { me: null, meError: null, largeText: readLargeText() };
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

export function setLargeText(on: boolean): void {
  try {
    Taro.setStorageSync(LARGE_TEXT_KEY, on);
  } catch {
    /* ignore */
  }
  set({ largeText: on });
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
