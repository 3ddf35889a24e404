/**
 * The local stand-in for WeChat content security (msgSecCheck): a word filter. Words come from
 * `CONTENT_FILTER_WORDS` (comma-separated) and the file named by `CONTENT_FILTER_FILE` (one word a
 * line, `#` starts a comment), on top of a small demo list (`CONTENT_FILTER_DEFAULTS=off` drops it).
 * Matching ignores case, full-width forms, and spaces, punctuation, symbols and invisible characters
 * put between the characters of a word ("办 证", "办-证", "代开.发票" all match).
 * Images are validated at upload, so `images()` does nothing locally.
 */
import fs from 'node:fs';
import type { ContentCheck } from '../../cloudfunctions/core/runtime';

export const REJECT_REASON = '内容包含不适宜发布的词语，请修改后再提交';

/** A deliberately small, tame list for demos: illegal advertising and gambling. */
export const DEFAULT_WORDS: readonly string[] = [
  '办证',
  '代开发票',
  '发票代开',
  '网上赌场',
  '六合彩',
  '刷单返利',
  '裸聊',
  '枪支弹药',
];

/** Lower-case, full-width → ASCII, and without whitespace/punctuation/symbols/format characters. */
export function normalizeForFilter(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}\p{Cf}]/gu, '');
}

export interface ContentFilterOptions {
  /** Extra words (in addition to the environment's). */
  words?: readonly string[];
  /** Where to read CONTENT_FILTER_* from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Include DEFAULT_WORDS; default true unless CONTENT_FILTER_DEFAULTS is 'off'/'false'/'0'. */
  defaults?: boolean;
}

export interface ContentFilter extends ContentCheck {
  /** The normalized words in use (for diagnostics and tests). */
  readonly words: readonly string[];
  /** The first listed word found in `text`, if any. */
  match(text: string): string | undefined;
}

/** The configured word list, before normalization. Throws if CONTENT_FILTER_FILE cannot be read. */
export function configuredWords(options: ContentFilterOptions = {}): string[] {
  const env = options.env ?? process.env;
  const useDefaults = options.defaults ?? !/^(off|false|0|no)$/i.test(env.CONTENT_FILTER_DEFAULTS ?? '');
  const words = [...(useDefaults ? DEFAULT_WORDS : []), ...(options.words ?? [])];
  if (env.CONTENT_FILTER_WORDS) words.push(...env.CONTENT_FILTER_WORDS.split(/[,，]/));
  if (env.CONTENT_FILTER_FILE) {
    let text: string;
    try {
      text = fs.readFileSync(env.CONTENT_FILTER_FILE, 'utf8');
    } catch (err) {
      throw new Error(
        `无法读取敏感词文件 CONTENT_FILTER_FILE=${env.CONTENT_FILTER_FILE}：${(err as Error).message}`,
      );
    }
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim().startsWith('#')) words.push(line);
    }
  }
  return words;
}

export function createContentFilter(options: ContentFilterOptions = {}): ContentFilter {
  const words = [...new Set(configuredWords(options).map(normalizeForFilter))].filter(Boolean);
  const match = (text: string) => {
    const normalized = normalizeForFilter(text);
    return words.find((w) => normalized.includes(w));
  };
  return {
    words,
    match,
    async text(content) {
      return match(content) === undefined ? { ok: true } : { ok: false, reason: REJECT_REASON };
    },
    async images() {
      // Nothing to do: the upload endpoint already accepted only real images.
    },
  };
}
