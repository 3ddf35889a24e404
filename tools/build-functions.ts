/**
 * `npm run build:functions`: bundle every cloud function into a self-contained folder under
 * cloudfunctions/dist/<name>/ (index.js + package.json + config.json), the `cloudfunctionRoot`
 * that WeChat DevTools and the CloudBase CLI deploy from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { FUNCTION_NAMES } from '../cloudfunctions/functions';

const ROOT = path.resolve(__dirname, '..');
export const FUNCTIONS_SRC = path.join(ROOT, 'cloudfunctions');
export const FUNCTIONS_OUT = path.join(FUNCTIONS_SRC, 'dist');

export interface BuiltFunction {
  name: string;
  dir: string;
  bytes: number;
  /** The packages bundled (from esbuild's metafile), e.g. `@cloudbase/node-sdk`. */
  packages: string[];
}

/** The npm package an esbuild input path belongs to (the innermost node_modules). */
function packageOf(input: string): string | undefined {
  const parts = input.split('node_modules/');
  if (parts.length < 2) return undefined;
  const rest = (parts[parts.length - 1] ?? '').split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/**
 * Modules the SDKs pull in that the functions never use, replaced by stubs to keep the bundles
 * small and the cold start short: @cloudbase/node-sdk's AI and data-model clients (and the
 * web-streams polyfill only they need), and mime-db (node-sdk's upload
 * content types; the functions never upload). Using a stubbed module throws a clear error.
 */
export const STRIPPED_MODULES = [
  '@cloudbase/ai',
  '@cloudbase/wx-cloud-client-sdk',
  'web-streams-polyfill',
  '@mattiasbuelens/web-streams-adapter',
  'mime-db',
];

/** wx-server-sdk goes only into functions that may call WeChat's openapi (config.json permissions). */
export function sendsMessages(name: string): boolean {
  const config = JSON.parse(fs.readFileSync(path.join(FUNCTIONS_SRC, name, 'config.json'), 'utf8')) as {
    permissions?: { openapi?: string[] };
  };
  return (config.permissions?.openapi ?? []).length > 0;
}

const THROWING_STUB = (name: string) => `
function fail() { throw new Error(${JSON.stringify(`${name} is not bundled in this function`)}); }
module.exports = new Proxy(function () {}, {
  get: (_t, key) => (key === '__esModule' ? false : key === 'then' ? undefined : fail),
  apply: fail,
  construct: fail,
});`;

function stubPlugin(modules: string[]): Plugin {
  const exact = new Set(modules);
  return {
    name: 'stub-unused',
    setup(b) {
      b.onResolve({ filter: /^[@a-z]/ }, (args) => {
        const pkg = args.path.startsWith('@')
          ? args.path.split('/').slice(0, 2).join('/')
          : (args.path.split('/')[0] ?? '');
        return exact.has(pkg) ? { path: pkg, namespace: 'stub' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
        contents: args.path === 'mime-db' ? 'module.exports = {};' : THROWING_STUB(args.path),
        loader: 'js',
      }));
    },
  };
}

export async function buildFunctions(outDir = FUNCTIONS_OUT): Promise<BuiltFunction[]> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const name of FUNCTION_NAMES) {
    const dir = path.join(outDir, name);
    fs.mkdirSync(dir, { recursive: true });
    const result = await build({
      entryPoints: [path.join(FUNCTIONS_SRC, name, 'index.ts')],
      outfile: path.join(dir, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      plugins: [stubPlugin([...STRIPPED_MODULES, ...(sendsMessages(name) ? [] : ['wx-server-sdk'])])],
    });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: {} }, null, 2) +
        '\n',
    );
    fs.copyFileSync(path.join(FUNCTIONS_SRC, name, 'config.json'), path.join(dir, 'config.json'));
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .map(packageOf)
        .filter((p): p is string => !!p),
    );
    built.push({
      name,
      dir,
      bytes: fs.statSync(path.join(dir, 'index.js')).size,
      packages: [...packages].sort(),
    });
  }
  return built;
}

if (require.main === module) {
  buildFunctions()
    .then((built) => {
      for (const f of built)
        console.log(`${f.name.padEnd(10)} ${(f.bytes / 1024).toFixed(0)} KB  ${path.relative(ROOT, f.dir)}`);
    })
    .catch((err: Error) => {
      console.error(err);
      process.exit(1);
    });
}
