import { hooks } from '@tarojs/shared';

/**
 * NutUI React Taro renders a few plain HTML elements (div/span) inside its components and expects
 * `@tarojs/plugin-html`, which is not installed here. Mini-program templates only know native
 * components, so without a mapping those nodes (e.g. the text inside a NutUI Button) are not drawn.
 * This maps them at hydration: block tags → view, inline tags → text, img → image.
 */
const INLINE = new Set(['span', 'i', 'b', 'em', 'strong', 'small', 'label', 'a', 'sub', 'sup']);
const BLOCK = new Set([
  'div',
  'p',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'main',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'form',
  'aside',
  'figure',
  'table',
  'tr',
  'td',
  'th',
]);

let installed = false;
export function installHtmlTagMapping(): void {
  if (installed || process.env.TARO_ENV === 'h5') return;
  installed = true;
  hooks.tap('modifyHydrateData', (data: Record<string, unknown>) => {
    const nn = data.nn;
    if (typeof nn !== 'string') return;
    if (BLOCK.has(nn)) data.nn = 'view';
    else if (INLINE.has(nn)) data.nn = 'text';
    else if (nn === 'img') data.nn = 'image';
  });
}
