/** Runs the page specs of one group against one demo runtime (one per test file). */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { DEMO, demoRuntime, realCloud } from './cloud';
import { assertBuilt, loadPage, pageText, until } from './harness';
import { PAGES, type Group } from './pages';

export function runPages(group: Group): void {
  // Loading the compiled app into the simulator takes a few seconds on a busy machine.
  jest.setTimeout(60_000);
  let rt: LocalRuntime;
  beforeAll(async () => {
    assertBuilt();
    rt = await demoRuntime();
  });
  afterAll(() => rt?.close());

  for (const spec of PAGES.filter((p) => p.group === group)) {
    const what = spec.action ? `renders, ${spec.action.name}` : 'renders';
    test(`${spec.route} as ${spec.role}: ${what}`, async () => {
      jest.resetModules();
      const openid = DEMO[spec.role];
      const query = spec.query ? await spec.query(rt) : {};
      const cloud = realCloud(rt, openid);
      const { comp, calls, wx, settled } = loadPage(spec.route, query, cloud, { notify: cloud });
      try {
        for (const t of spec.shows) {
          await until(() => pageText(comp).includes(t), 10_000, `"${t}" on ${spec.route}`).catch((err) => {
            throw new Error(`${(err as Error).message}\npage shows: ${pageText(comp).slice(0, 600)}`);
          });
        }
        if (spec.action) {
          await spec.action.run({ rt, comp, calls, wx, openid, query }).catch((err: Error) => {
            const toasts = (wx.showToast as jest.Mock).mock.calls.map(
              (c) => (c[0] as { title: string }).title,
            );
            err.message += `\npage shows: ${pageText(comp).slice(0, 800)}\ntoasts: ${toasts.join(' | ')}`;
            throw err;
          });
        }
        // Let the page's last calls (subscriptions, refreshes) finish before the next page.
        await until(() => settled(), 10_000, 'the cloud calls to settle');
      } finally {
        comp.detach();
      }
    });
  }
}
