/**
 * Taro plugin for the weapp build (accessibility): Taro's weapp templates only carry the
 * attributes Taro knows for each component, which drops `aria-label` / `aria-role`. Add them
 * (before the template is generated) so WeChat's screen reader gets our labels. The platform
 * plugin builds its template from this shared table.
 */
const A11Y = {
  'aria-label': '',
  'aria-role': '',
  'aria-hidden': '',
  'aria-selected': '',
  'aria-checked': '',
  'aria-disabled': '',
  'aria-level': '',
};

let table = null;
try {
  table = require('@tarojs/shared/dist/template').internalComponents;
} catch {
  table = null;
}
module.exports = (ctx) => {
  if (process.env.TARO_ENV === 'h5') return;

  ctx.onReady(() => {
    if (!table) return;
    for (const name of ['View', 'Text', 'Image', 'Button']) {
      if (table[name]) Object.assign(table[name], A11Y);
    }
  });
};
