import type { ActivityType } from '../../../types/domain';

/**
 * Tab pages receive no query string (switchTab), so 首页 leaves the wanted filter here and the
 * activity list picks it up when it shows.
 */
let pending: ActivityType | 'all' | null = null;

export function requestListFilter(type: ActivityType | 'all'): void {
  pending = type;
}

export function takeListFilter(): ActivityType | 'all' | null {
  const t = pending;
  pending = null;
  return t;
}
