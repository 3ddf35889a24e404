/**
 * Helpers shared by the page specs of the newer groups (service, sites, reports): calling the
 * real functions to prepare demo data, and the "opens an item" action.
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { tapText, until } from './harness';
import type { PageSpec } from './pages';

export const XINGFULI = 'community-xingfuli';

/** Calls a function as `openid` and returns its data (throws with its message when refused). */
export async function ok<T>(
  rt: LocalRuntime,
  fn: string,
  action: string,
  data: unknown,
  openid: string,
): Promise<T> {
  const res = await rt.call(fn as never, { action, data }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.message}`);
  return res.data as T;
}

/** The urls the page navigated to (navigateTo, redirectTo, switchTab, reLaunch). */
export function navigations(wx: Record<string, unknown>): string[] {
  return ['navigateTo', 'switchTab', 'redirectTo', 'reLaunch'].flatMap((api) =>
    (wx[api] as jest.Mock).mock.calls.map((c) => String((c[0] as { url: string }).url)),
  );
}

/** The page's main action is opening an item: tapping `text` navigates to a page matching `url`. */
export function opens(
  text: string,
  url: RegExp | ((query: Record<string, string>) => RegExp),
): PageSpec['action'] {
  return {
    name: `tapping ${text} opens ${typeof url === 'function' ? 'its page' : url.source.replace(/\\/g, '')}`,
    async run({ comp, wx, query }) {
      const re = typeof url === 'function' ? url(query) : url;
      tapText(comp, text);
      await until(() => navigations(wx).some((u) => re.test(u)), 10_000, `navigation to ${re.source}`).catch(
        (err: Error) => {
          throw new Error(`${err.message}; navigations: ${navigations(wx).join(', ') || 'none'}`);
        },
      );
    },
  };
}
