/**
 * Fitting values to WeChat subscription-message field limits. WeChat rejects a whole message
 * (47003) when one value is too long, so every value is cut to size here, at grapheme
 * boundaries (never half an emoji), counting UTF-16 units so no reading of "characters" can
 * exceed the limit. Pure functions; the template registry composes them.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const LIMITS = {
  thing: 20,
  phrase: 5,
  name: 10,
  characterString: 32,
  number: 32,
  phoneNumber: 17,
} as const;

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Cut `text` to at most `max` UTF-16 units, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let out = '';
  for (const { segment } of segmenter.segment(clean)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

/** thing: ≤ 20 characters, any text. Empty values are not allowed by WeChat. */
export const thing = (text: string) => truncate(text, LIMITS.thing) || '—';

/** phrase: ≤ 5 Chinese characters, no digits/letters/symbols: keep only Chinese. */
export function phrase(text: string): string {
  const chinese = Array.from(text.matchAll(/\p{Script=Han}/gu), (m) => m[0]).join('');
  return chinese.slice(0, LIMITS.phrase) || '通知';
}

/** name: ≤ 10 characters. */
export const name = (text: string) => truncate(text, LIMITS.name) || '—';

/** character_string: ≤ 32 letters, digits and symbols only. */
export function characterString(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, '').slice(0, LIMITS.characterString) || '-';
}

/** time: `2026年11月21日 15:01` in Asia/Shanghai (the function runtime is not). */
export function time(ms: number): string {
  return dayjs(ms).tz('Asia/Shanghai').format('YYYY年M月D日 HH:mm');
}

/** Every value of a template's data is within its field type's limit (used in tests). */
export function withinLimits(data: Record<string, { value: string }>): boolean {
  return Object.entries(data).every(([key, { value }]) => {
    if (!value) return false;
    if (key.startsWith('thing')) return value.length <= LIMITS.thing;
    if (key.startsWith('phrase')) return value.length <= LIMITS.phrase && /^\p{Script=Han}+$/u.test(value);
    if (key.startsWith('name')) return value.length <= LIMITS.name;
    if (key.startsWith('character_string')) return value.length <= LIMITS.characterString;
    if (key.startsWith('time') || key.startsWith('date'))
      return /^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$/.test(value);
    return false; // an unknown field type: add its rule above
  });
}
