import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createServer, type LocalServer } from '../../tools/runtime/server';
import { createContentFilter, normalizeForFilter, REJECT_REASON } from '../../tools/runtime/content-filter';
import { sniffImageFormat } from '../../tools/runtime/file-storage';
import { cloudFileOwnedBy } from '../../cloudfunctions/core/adapters/cloudbase';

let srv: LocalServer;
let base: string;

async function start(opts: Partial<Parameters<typeof createServer>[0]> = {}) {
  srv = await createServer({ dataDir: ':memory:', demo: true, quiet: true, ...opts });
  const server = await srv.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => srv?.close());
afterAll(() => {
  delete process.env.DATA_SECRET;
});

async function login(openid: string): Promise<string> {
  const res = await fetch(base + '/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `demo:${openid}` }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { token: string } }).data.token;
}

type UploadBody =
  | { ok: true; data: { fileId: string; url: string } }
  | { ok: false; error: { code: string; message: string } };

async function upload(bytes: Buffer, token?: string, contentType = 'application/octet-stream') {
  const res = await fetch(base + '/api/upload', {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as UploadBody };
}

function ok(body: UploadBody): { fileId: string; url: string } {
  if (!body.ok) throw new Error(`upload refused: ${body.error.message}`);
  return body.data;
}

const image = (width: number, height: number, alpha = false) =>
  sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: { r: 200, g: 40, b: 40, alpha: alpha ? 0.5 : 1 },
    },
  });

const NOT_IMAGE = '只能上传图片（JPG、PNG、GIF、WebP）';

describe('image uploads', () => {
  it('accepts a PNG and a JPEG and serves a display copy', async () => {
    await start();
    const token = await login('demo-resident');
    const png = await image(200, 100, true).png().toBuffer();
    const jpeg = await image(640, 480).jpeg().toBuffer();

    const a = ok((await upload(png, token, 'image/png')).body);
    expect(a.fileId).toMatch(/^local:[0-9a-f]{32}$/);
    expect(a.url).toBe(`/files/${a.fileId.slice(6)}`);
    // Content-Type is ignored: a JPEG sent as octet-stream is still a JPEG.
    const b = ok((await upload(jpeg, token)).body);
    expect(b.fileId).not.toBe(a.fileId);

    const display = await fetch(base + b.url);
    expect(display.status).toBe(200);
    expect(display.headers.get('content-type')).toBe('image/jpeg');
    expect(display.headers.get('cache-control')).toContain('immutable');
    expect(display.headers.get('x-content-type-options')).toBe('nosniff');
    const meta = await sharp(Buffer.from(await display.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);

    // Transparency survives in the display copy (WebP); the original is kept as uploaded but
    // never served (it may carry EXIF GPS): asking for it still gives the display copy.
    const alphaDisplay = await fetch(base + a.url);
    expect(alphaDisplay.headers.get('content-type')).toBe('image/webp');
    const asked = await fetch(`${base}${a.url}?original=1`);
    expect(asked.headers.get('content-type')).toBe('image/webp');
    const original = await srv.runtime.files.read(a.fileId, { original: true });
    expect(original?.contentType).toBe('image/png');
    expect(original?.bytes.equals(png)).toBe(true);

    // The record is in the `files` collection with its owner.
    const { data } = await srv.runtime.runtime.db.collection('files').doc(a.fileId.slice(6)).get();
    expect(data[0]).toMatchObject({ owner: 'demo-resident', format: 'png', bytes: png.length, width: 200 });
  });

  it('resizes large images to at most 1080 px on the long side', async () => {
    await start();
    const token = await login('demo-resident');
    const big = await image(3000, 2000).jpeg({ quality: 90 }).toBuffer();
    const { url } = ok((await upload(big, token, 'image/jpeg')).body);
    const meta = await sharp(Buffer.from(await (await fetch(base + url)).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1080, 720]);
    const tall = await image(500, 4000).png().toBuffer();
    const tallUrl = ok((await upload(tall, token)).body).url;
    const tallMeta = await sharp(Buffer.from(await (await fetch(base + tallUrl)).arrayBuffer())).metadata();
    expect([tallMeta.width, tallMeta.height]).toEqual([135, 1080]);
    const original = await sharp(
      (await srv.runtime.files.read(url.slice('/files/'.length), { original: true }))?.bytes,
    ).metadata();
    expect([original.width, original.height]).toEqual([3000, 2000]);
  });

  it('accepts GIF and WebP by their bytes', async () => {
    await start();
    const token = await login('demo-resident');
    for (const bytes of [await image(30, 20).gif().toBuffer(), await image(30, 20).webp().toBuffer()]) {
      const res = await upload(bytes, token);
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
    }
  });

  it('refuses a renamed non-image, whatever it claims to be', async () => {
    await start();
    const token = await login('demo-resident');
    const text = Buffer.from('这不是图片，只是改了扩展名的文本文件 report.jpg\n'.repeat(20));
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    // A real PNG signature followed by garbage: the decoder must agree with the header.
    const fakePng = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('nothing else'),
    ]);
    for (const [bytes, type] of [
      [text, 'image/jpeg'],
      [svg, 'image/svg+xml'],
      [Buffer.from('%PDF-1.4 fake'), 'image/png'],
    ] as const) {
      const res = await upload(bytes, token, type);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: NOT_IMAGE } });
    }
    const broken = await upload(fakePng, token, 'image/png');
    expect(broken.status).toBe(400);
    expect(broken.body.ok).toBe(false);
    // Nothing was recorded.
    const { data } = await srv.runtime.runtime.db.collection('files').get();
    expect(data).toHaveLength(0);
  });

  it('refuses more than 5 MB with 413', async () => {
    await start();
    const token = await login('demo-resident');
    const jpeg = await image(64, 64).jpeg().toBuffer();
    const tooBig = Buffer.concat([jpeg, Buffer.alloc(5 * 1024 * 1024 + 1 - jpeg.length)]);
    const res = await upload(tooBig, token, 'image/jpeg');
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '图片不能超过 5 MB' } });
    // The JSON API's own limit still applies to it (1 MB), unaffected by the upload route.
    const big = await fetch(base + '/api/call/user', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'me', data: { x: 'a'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
  });

  it('requires a session, and refuses an empty body', async () => {
    await start();
    const png = await image(10, 10).png().toBuffer();
    const anonymous = await upload(png);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await upload(png, 'not-a-token')).status).toBe(401);
    const token = await login('demo-resident');
    const empty = await upload(Buffer.alloc(0), token);
    expect(empty.status).toBe(400);
  });

  it('answers 404 for unknown or malformed file ids', async () => {
    await start();
    for (const id of [
      '0123456789abcdef0123456789abcdef',
      'local:0123456789abcdef0123456789abcdef',
      '..%2Fsecret',
    ]) {
      const res = await fetch(`${base}/files/${id}`);
      expect(res.status).toBe(404);
    }
  });

  it('vouches for a file only to its uploader (storage.ownedBy) and maps ids to urls', async () => {
    await start();
    const token = await login('demo-resident');
    const { fileId, url } = ok((await upload(await image(20, 20).png().toBuffer(), token)).body);
    const { storage } = srv.runtime.runtime;
    expect(await storage.ownedBy(fileId, 'demo-resident')).toBe(true);
    expect(await storage.ownedBy(fileId, 'demo-worker')).toBe(false);
    expect(await storage.ownedBy(fileId, '')).toBe(false);
    expect(await storage.ownedBy('local:0123456789abcdef0123456789abcdef', 'demo-resident')).toBe(false);
    expect(await storage.ownedBy(fileId.slice(6), 'demo-resident')).toBe(false);
    expect(await storage.ownedBy(`${fileId}x`, 'demo-resident')).toBe(false);
    expect(await storage.ownedBy(`cloud://env.bucket/grievance/demo-resident/a.jpg`, 'demo-resident')).toBe(
      false,
    );
    expect(await storage.urls(['local:0123456789abcdef0123456789abcdef', fileId, 'bogus'])).toEqual([
      '',
      url,
      '',
    ]);
  });

  it('keeps uploads on disk under <dataDir>/uploads across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-uploads-'));
    try {
      await start({ dataDir: dir });
      const token = await login('demo-resident');
      const { fileId, url } = ok((await upload(await image(1200, 300).jpeg().toBuffer(), token)).body);
      expect(fs.readdirSync(path.join(dir, 'uploads')).sort()).toEqual(
        [`${fileId.slice(6)}-display.jpg`, `${fileId.slice(6)}.jpg`].sort(),
      );
      await srv.close();
      await start({ dataDir: dir });
      expect(await srv.runtime.runtime.storage.ownedBy(fileId, 'demo-resident')).toBe(true);
      const res = await fetch(base + url);
      expect(res.status).toBe(200);
      expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(1080);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sniffs only the four allowed signatures', async () => {
    expect(sniffImageFormat(await image(4, 4).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await image(4, 4).png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await image(4, 4).gif().toBuffer())).toBe('gif');
    expect(sniffImageFormat(await image(4, 4).webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await image(4, 4).tiff().toBuffer())).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('GIF8'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('local content check (word filter)', () => {
  it('rejects a configured word even with spaces or punctuation inserted, and accepts normal text', async () => {
    const filter = createContentFilter({ env: { CONTENT_FILTER_WORDS: '违禁词, Spam Word' } });
    const rejected = { ok: false, reason: REJECT_REASON };
    expect(await filter.text('这里有违禁词', 'u1')).toEqual(rejected);
    expect(await filter.text('这里有 违 禁 词', 'u1')).toEqual(rejected);
    expect(await filter.text('这里有违-禁。词！', 'u1')).toEqual(rejected);
    expect(await filter.text('违\u200b禁\u3000词', 'u1')).toEqual(rejected);
    expect(await filter.text('buy SPAM-word now', 'u1')).toEqual(rejected);
    expect(await filter.text('ｓｐａｍ ｗｏｒｄ', 'u1')).toEqual(rejected);
    expect(await filter.text('楼道灯坏了三天，晚上很黑，请尽快维修。', 'u1')).toEqual({ ok: true });
    expect(await filter.text('', 'u1')).toEqual({ ok: true });
  });

  it('has a small default list and reads words from a file', async () => {
    const defaults = createContentFilter({ env: {} });
    expect(await defaults.text('专业办 证，代开 发票', 'u1')).toMatchObject({ ok: false });
    expect(defaults.match('代开·发票')).toBe('代开发票');
    expect(defaults.words).toContain('网上赌场');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-words-'));
    try {
      const file = path.join(dir, 'words.txt');
      fs.writeFileSync(file, '# 注释行\n文件词\n\n  另一个词  \n');
      const fromFile = createContentFilter({
        env: { CONTENT_FILTER_FILE: file, CONTENT_FILTER_DEFAULTS: 'off' },
      });
      expect(fromFile.words).toEqual(['文件词', '另一个词']);
      expect(await fromFile.text('文 件 词', 'u1')).toMatchObject({ ok: false });
      expect(await fromFile.text('办证', 'u1')).toEqual({ ok: true });
      expect(() =>
        createContentFilter({ env: { CONTENT_FILTER_FILE: path.join(dir, 'missing.txt') } }),
      ).toThrow('CONTENT_FILTER_FILE');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the local runtime contentCheck, and the local runtime is in demo mode', async () => {
    await start();
    const rt = srv.runtime.runtime;
    expect(rt.demo).toBe(true);
    expect(await rt.contentCheck.text('网上 赌场', 'demo-resident')).toEqual({
      ok: false,
      reason: REJECT_REASON,
    });
    expect(await rt.contentCheck.text('小区门口路灯不亮', 'demo-resident')).toEqual({ ok: true });
    await expect(rt.contentCheck.images(['local:x'], 'demo-resident')).resolves.toBeUndefined();
    await srv.close();
    process.env.DATA_SECRET = '5f0c1e9a7b3d2468ace13579bdf02468a1b2c3d4e5f60718293a4b5c6d7e8f90';
    await start({
      demo: false,
      sessionSecret: '0f1e2d3c4b5a69788796a5b4c3d2e1f00123456789abcdeffedcba9876543210',
    });
    expect(srv.runtime.runtime.demo).toBe(false);
  });

  it('normalizes case, width and separators', () => {
    expect(normalizeForFilter('Ａ b-C。d　e')).toBe('abcde');
  });
});

describe('production storage ownership (cloud:// paths)', () => {
  const openid = 'oAbC123_-xyz';
  it.each([
    [`cloud://prod-1a2b.7072-prod-1a2b-1300000000/grievance/${openid}/1700000000-0.jpg`, true],
    [`cloud://env.bucket/grievance/${openid}/photo.png`, true],
    [`cloud://env.bucket/grievance/someone-else/photo.png`, false],
    [`cloud://env.bucket/grievance/${openid}x/photo.png`, false],
    [`cloud://env.bucket/grievance/${openid}/`, false],
    [`cloud://env.bucket/grievance/${openid}/sub/photo.png`, false],
    [`cloud://env.bucket/grievance/${openid}/../other/photo.png`, false],
    [`cloud://env.bucket/avatars/grievance/${openid}/photo.png`, false],
    [`cloud://env.bucket/grievance/${openid}/..`, false],
    [`https://example.com/grievance/${openid}/photo.png`, false],
    [`local:0123456789abcdef0123456789abcdef`, false],
    [`grievance/${openid}/photo.png`, false],
  ])('%s → %s', (fileId, expected) => {
    expect(cloudFileOwnedBy(fileId, openid)).toBe(expected);
  });

  it('refuses empty or odd openids', () => {
    expect(cloudFileOwnedBy('cloud://env.bucket/grievance//photo.png', '')).toBe(false);
    expect(cloudFileOwnedBy('cloud://env.bucket/grievance/a/b/photo.png', 'a/b')).toBe(false);
  });
});
