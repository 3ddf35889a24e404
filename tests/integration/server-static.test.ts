/**
 * The server sends the H5 app compressed (brotli or gzip, with Content-Encoding, the original's
 * Content-Type and Vary) and with caching headers: hashed files immutable for a year, index.html
 * revalidated. A synthetic build covers both the precompressed files and the in-memory fallback;
 * the real build (miniprogram/dist-h5) is checked too when it exists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createServer, type LocalServer } from '../../tools/runtime/server';

let srv: LocalServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function start(staticDir: string): Promise<string> {
  srv = await createServer({ dataDir: ':memory:', demo: true, quiet: true, seed: false, staticDir });
  return `http://127.0.0.1:${((await srv.listen(0)).address() as AddressInfo).port}`;
}

/** Raw response bytes (fetch would decode them), via node:http. */
async function raw(url: string, headers: Record<string, string> = {}) {
  const http = await import('node:http');
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

const SCRIPT = `console.log(${JSON.stringify('同心圆 '.repeat(400))});\n`;

function syntheticBuild(precompressed: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-static-'));
  fs.mkdirSync(path.join(dir, 'js'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>t</title><script src="/js/app.0e821435.js"></script>',
  );
  const js = path.join(dir, 'js', 'app.0e821435.js');
  fs.writeFileSync(js, SCRIPT);
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  if (precompressed) {
    // Marked so the test can tell the precompressed file from a compression made by the server.
    fs.writeFileSync(js + '.br', zlib.brotliCompressSync(Buffer.from(SCRIPT + '//br\n')));
    fs.writeFileSync(js + '.gz', zlib.gzipSync(Buffer.from(SCRIPT + '//gz\n')));
  }
  return dir;
}

describe.each([
  ['precompressed files', true],
  ['no precompressed files (compressed in memory)', false],
])('static files: %s', (_name, precompressed) => {
  it('answers br, gzip or identity per Accept-Encoding, with Vary and immutable caching', async () => {
    const dir = syntheticBuild(precompressed);
    const base = await start(dir);
    const url = base + '/js/app.0e821435.js';

    const br = await raw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(precompressed ? SCRIPT + '//br\n' : SCRIPT);

    const gz = await raw(url, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(zlib.gunzipSync(gz.body).toString()).toBe(precompressed ? SCRIPT + '//gz\n' : SCRIPT);

    const plain = await raw(url, { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    // Revalidation of the compressed copy.
    const etag = String(br.headers['etag']);
    const again = await raw(url, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);

    // The .br/.gz files are not separate public URLs of a different type, and traversal is refused.
    expect((await raw(base + '/../package.json')).status).not.toBe(200);
  });
});

it('serves index.html with no-cache and the CSP, other files with a short cache', async () => {
  const base = await start(syntheticBuild(true));
  for (const p of ['/', '/index.html']) {
    const res = await raw(base + p, { 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  }
  const icon = await raw(base + '/favicon.svg');
  expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  expect((await raw(base + '/js/missing.12345678.js')).status).toBe(404);
});

const realBuild = path.resolve(__dirname, '../../miniprogram/dist-h5');
const realJs = fs.existsSync(path.join(realBuild, 'js'))
  ? fs.readdirSync(path.join(realBuild, 'js')).find((f) => /^app\.[0-9a-f]+\.js$/.test(f))
  : undefined;

(realJs ? it : it.skip)('the real H5 build ships .br/.gz copies and the server sends them', async () => {
  const file = path.join(realBuild, 'js', realJs as string);
  expect(fs.existsSync(file + '.br')).toBe(true);
  expect(fs.existsSync(file + '.gz')).toBe(true);
  const base = await start(realBuild);
  const res = await raw(`${base}/js/${realJs}`, { 'Accept-Encoding': 'gzip, deflate, br' });
  expect(res.headers['content-encoding']).toBe('br');
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(res.body.equals(fs.readFileSync(file + '.br'))).toBe(true);
  expect(zlib.brotliDecompressSync(res.body).equals(fs.readFileSync(file))).toBe(true);
  const html = await raw(base + '/', { 'Accept-Encoding': 'gzip' });
  expect(html.headers['cache-control']).toBe('no-cache');
});
