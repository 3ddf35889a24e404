/**
 * Masking personal numbers for display. Never reveals more than the standard pattern
 * (phone 138****5678, ID 3201**********123X); short or odd input reveals less, never more.
 */

/**
 * Keep `head` leading and `tail` trailing characters, star the rest. When the value is too short
 * for at least four stars in the middle, only a few trailing characters (at most a quarter of the
 * value) are kept, with at least four stars in front.
 */
export function maskMiddle(value: string | null | undefined, head: number, tail: number): string {
  const chars = Array.from((value ?? '').replace(/[\s-]/g, ''));
  const n = chars.length;
  if (n === 0) return '';
  if (n >= head + tail + 4) {
    return chars.slice(0, head).join('') + '*'.repeat(n - head - tail) + chars.slice(n - tail).join('');
  }
  const keep = Math.min(tail, Math.floor(n / 4));
  return '*'.repeat(Math.max(4, n - keep)) + chars.slice(n - keep).join('');
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string | null | undefined): string {
  return maskMiddle(phone, 3, 4);
}

/** 32010119900101123X → 3201**********123X. */
export function maskIdNumber(id: string | null | undefined): string {
  return maskMiddle(id, 4, 4);
}
