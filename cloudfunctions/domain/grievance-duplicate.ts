/**
 * Near-duplicate grievances: a resident who submits the same text again within a day is asked to
 * confirm (issue 13 item 8). Pure and dependency-free: the mini-program bundles this file as it is
 * (miniprogram/config/index.ts `compile.include`), so the client warns with the same rule.
 *
 * Similarity = Sørensen–Dice coefficient of the character bigrams (as multisets) of the
 * normalised texts: Unicode NFKC, lower case, whitespace, punctuation and symbols removed, so
 * "楼道灯坏了！！" and "楼道灯 坏了" are the same text. Chinese has no word boundaries; bigrams
 * of characters are the usual unit for short-text similarity.
 */

/** Dice ≥ this counts as the same grievance. */
export const NEAR_DUPLICATE_THRESHOLD = 0.85;
/** Earlier grievances within this window are compared. */
export const DUPLICATE_WINDOW_MS = 24 * 3600_000;

export function normalizeGrievanceText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function bigrams(text: string): Map<string, number> {
  const chars = Array.from(text);
  const out = new Map<string, number>();
  // A single character is its own "bigram", so one-character texts still compare.
  const grams = chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
  for (const g of grams) out.set(g, (out.get(g) ?? 0) + 1);
  return out;
}

/** Dice coefficient of the normalised texts' character bigrams, 0…1 (two empty texts: 1). */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(normalizeGrievanceText(a));
  const y = bigrams(normalizeGrievanceText(b));
  let sizeX = 0;
  let sizeY = 0;
  let shared = 0;
  for (const n of x.values()) sizeX += n;
  for (const [g, n] of y) {
    sizeY += n;
    shared += Math.min(n, x.get(g) ?? 0);
  }
  if (sizeX + sizeY === 0) return 1;
  return (2 * shared) / (sizeX + sizeY);
}

export function isNearDuplicate(a: string, b: string, threshold = NEAR_DUPLICATE_THRESHOLD): boolean {
  return textSimilarity(a, b) >= threshold;
}

/**
 * The first earlier grievance (created within `windowMs` before `now`) whose text is a near
 * duplicate of `text`. Earlier texts may be previews (the first `previewLength` characters, as
 * `grievance.mine` returns them): a preview is compared with the same-length start of `text`.
 */
export function findRecentDuplicate<T extends { preview: string; createdAt: number }>(
  text: string,
  earlier: readonly T[],
  now: number,
  options: { windowMs?: number; previewLength?: number; threshold?: number } = {},
): T | undefined {
  const windowMs = options.windowMs ?? DUPLICATE_WINDOW_MS;
  const previewLength = options.previewLength ?? 60;
  return earlier.find((g) => {
    if (g.createdAt > now || now - g.createdAt > windowMs) return false;
    const isPreview = Array.from(g.preview).length >= previewLength;
    const mine = isPreview ? Array.from(text).slice(0, previewLength).join('') : text;
    return isNearDuplicate(mine, g.preview, options.threshold);
  });
}
