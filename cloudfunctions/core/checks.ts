/**
 * The checks every feature that takes residents' text and photos runs (grievances, service
 * requests): uploaded files must be the caller's own, text passes the content check. One copy.
 */
import { invalid } from './errors';
import { runtime } from './runtime';

export async function assertFilesOwned(photos: string[], openid: string): Promise<void> {
  const storage = runtime().storage;
  const owned = await Promise.all(photos.map((id) => storage.ownedBy(id, openid)));
  if (owned.includes(false)) throw invalid('图片无效或不是你上传的，请重新上传', { photos: '图片无效' });
}

export async function assertCleanText(text: string, openid: string, field = 'text'): Promise<void> {
  const verdict = await runtime().contentCheck.text(text, openid);
  if (!verdict.ok) throw invalid(verdict.reason, { [field]: verdict.reason });
}

/** Settle checks run together, then report the first failure in their listed order. */
export async function allInOrder<T extends unknown[]>(checks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(checks as Promise<unknown>[]);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}
