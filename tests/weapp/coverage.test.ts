/**
 * Every page of the compiled weapp (miniprogram/dist/app.json: main pages and every subpackage
 * page) has a spec in pages.ts, and every spec's group is run by its pages-<group>.test.ts file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { assertBuilt, DIST } from './harness';
import { GROUPS, PAGES } from './pages';

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
}

function weappPages(): string[] {
  assertBuilt();
  const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8')) as AppJson;
  return [
    ...app.pages,
    ...(app.subPackages ?? []).flatMap((sp) => sp.pages.map((p) => `${sp.root.replace(/\/$/, '')}/${p}`)),
  ];
}

const pages = weappPages();

test('app.json lists the pages (main and subpackages)', () => {
  expect(pages).toContain('pages/index/index');
  expect(pages.filter((p) => p.startsWith('packages/')).length).toBeGreaterThan(0);
});

test.each(pages)('%s has a page test', (route) => {
  const specs = PAGES.filter((p) => p.route === route);
  expect(specs.map((s) => `${s.route} as ${s.role}`)).not.toEqual([]);
});

test('every spec is a page of the weapp build', () => {
  expect(PAGES.map((p) => p.route).filter((r) => !pages.includes(r))).toEqual([]);
});

test.each([...GROUPS])('pages-%s.test.ts runs its group', (group) => {
  const file = path.join(__dirname, `pages-${group}.test.ts`);
  expect(fs.existsSync(file)).toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toContain(`runPages('${group}')`);
});

afterAll(() => {
  const lines = pages.map((route) => {
    const specs = PAGES.filter((p) => p.route === route);
    const how = specs.map((s) => `${s.role}${s.action ? ` + ${s.action.name}` : ''}`).join('; ');
    return `  ${specs.length ? '✓' : '✗'} ${route}${how ? ` — ${how}` : ''}`;
  });
  // The covered pages, named in the test output.
  console.log(
    `weapp pages covered (${lines.filter((l) => l.includes('✓')).length}/${pages.length}):\n${lines.join('\n')}`,
  );
});
