/**
 * `npm run build:functions`: bundle every cloud function into a self-contained folder under
 * cloudfunctions/dist/<name>/ (index.js + package.json + config.json), the `cloudfunctionRoot`
 * that WeChat DevTools and the CloudBase CLI deploy from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_NAMES } from '../cloudfunctions/functions';

const ROOT = path.resolve(__dirname, '..');
export const FUNCTIONS_SRC = path.join(ROOT, 'cloudfunctions');
export const FUNCTIONS_OUT = path.join(FUNCTIONS_SRC, 'dist');

export interface BuiltFunction {
  name: string;
  dir: string;
  bytes: number;
}

export async function buildFunctions(outDir = FUNCTIONS_OUT): Promise<BuiltFunction[]> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const name of FUNCTION_NAMES) {
    const dir = path.join(outDir, name);
    fs.mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [path.join(FUNCTIONS_SRC, name, 'index.ts')],
      outfile: path.join(dir, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: {} }, null, 2) +
        '\n',
    );
    fs.copyFileSync(path.join(FUNCTIONS_SRC, name, 'config.json'), path.join(dir, 'config.json'));
    built.push({ name, dir, bytes: fs.statSync(path.join(dir, 'index.js')).size });
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
