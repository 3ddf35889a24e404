/**
 * Accessibility attributes that Taro's component types do not declare: `role` for H5 (axe reads it)
 * and `aria-role` for WeChat's screen reader.
 */
export function roleProps(
  role: string,
  extra: Record<string, string | number | boolean> = {},
): Record<string, unknown> {
  return process.env.TARO_ENV === 'h5' ? { role, ...extra } : { 'aria-role': role, ...extra };
}

export function heading(level: 1 | 2 | 3): Record<string, unknown> {
  return roleProps('heading', { 'aria-level': level });
}

/**
 * H5 only: Taro renders each page as a scrolling `<div class="taro_page">`. Make every page
 * container focusable so keyboard users can scroll it (WCAG 2.1.1; axe: scrollable-region-focusable).
 */
export function makeH5PagesKeyboardScrollable(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof MutationObserver === 'undefined') return;
  const mark = (el: Element) => {
    if (el.classList.contains('taro_page') && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
  };
  new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach((n) => n instanceof Element && mark(n));
  }).observe(document.body, { childList: true, subtree: true });
  document.querySelectorAll('.taro_page').forEach(mark);
}

/**
 * H5 only: make a tappable view reachable and usable by keyboard (Tab to focus, Enter/Space to
 * activate). In weapp there is no keyboard, so nothing is added.
 */
export function keyboardActivatable(onActivate: () => void): Record<string, unknown> {
  if (process.env.TARO_ENV !== 'h5') return {};
  return {
    tabIndex: 0,
    onKeyDown: (e: { key: string; preventDefault(): void }) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onActivate();
      }
    },
  };
}

/**
 * H5 only: Taro's navigation bar draws ← back and ⌂ home as bare divs. Give them a role, a name and
 * keyboard access (the size comes from app.scss).
 */
export function makeH5NavigationBarAccessible(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  const label = () => {
    const buttons: [string, string][] = [
      ['.taro-navigation-bar-back', '返回上一页'],
      ['.taro-navigation-bar-home', '回到首页'],
    ];
    for (const [selector, name] of buttons) {
      const el = document.querySelector<HTMLElement>(selector);
      if (!el || el.getAttribute('aria-label') === name) continue;
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', name);
      el.setAttribute('tabindex', '0');
      el.querySelector('svg')?.setAttribute('aria-hidden', 'true');
      el.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          el.click();
        }
      });
    }
  };
  if (typeof MutationObserver === 'undefined') return;
  const observer = new MutationObserver(() => {
    if (document.querySelector('.taro-navigation-bar-back')) {
      label();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  label();
}
