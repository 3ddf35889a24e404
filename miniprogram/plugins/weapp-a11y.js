/**
 * Taro plugin for the weapp build (NutUI + accessibility):
 * 1. Taro's weapp templates only carry the attributes Taro knows for each component, which drops
 *    `aria-label` / `aria-role`. Add them (before the template is generated) so WeChat's screen
 *    reader gets our labels. The platform plugin builds its template from this shared table.
 * 2. NutUI creates some native components by string (`createElement('button')`) inside
 *    node_modules; Taro only emits templates for components it saw imported in our source, so
 *    include those explicitly (part of what @tarojs/plugin-html would do; div/span are mapped to
 *    view/text at runtime by src/utils/htmlTags.ts).
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

// Native components NutUI renders by string name (not through @tarojs/components imports).
const NUTUI_NATIVE = ['button', 'view', 'text', 'image'];

let table = null;
try {
  table = require('@tarojs/shared/dist/template').internalComponents;
} catch {
  table = null;
}
module.exports = (ctx) => {
  if (process.env.TARO_ENV === 'h5') return;

  // NutUI components used by src/ui create these natively by name.
  ctx.modifyWebpackChain(({ data }) => {
    const config = data && data.componentConfig;
    if (!config || !config.includes) return;
    for (const name of NUTUI_NATIVE) config.includes.add(name);
  });

  ctx.onReady(() => {
    if (!table) return;
    for (const name of ['View', 'Text', 'Image', 'Button']) {
      if (table[name]) Object.assign(table[name], A11Y);
    }
  });
};
