/**
 * Serves the H5 build: compressed, with caching headers.
 *
 * - Compression: the build writes `<file>.br` and `<file>.gz` beside every text asset
 *   (miniprogram/config/precompress.ts, brotli quality 11 / gzip level 9). A request that accepts
 *   br (or gzip) gets that file with `Content-Encoding`, the original's `Content-Type` and
 *   `Vary: Accept-Encoding`. A build without them (an older one) is compressed on first request
 *   and kept in memory, so the app is never sent uncompressed.
 * - Caching: files whose names carry a content hash (`js/app.1a2b3c4d.js`, `css/x.<hash>.css`)
 *   are `public, max-age=31536000, immutable`; index.html is `no-cache` (always revalidated, so a
 *   new build is picked up at once); anything else (favicon) one hour.
 * Range requests, ETags and 304s come from express.static (send), which serves the chosen file.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/i;
/** `name.<8+ hex>.ext`, as the H5 build names its JS and CSS (config/index.ts output). */
const HASHED = /\.[0-9a-f]{8,}\.(js|css)$/i;
const MIN_COMPRESS_BYTES = 1024;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

export function cacheControlFor(file: string): string {
  const base = path.basename(file);
  if (base === 'index.html') return REVALIDATE;
  if (HASHED.test(base)) return IMMUTABLE;
  return SHORT;
}

type Encoding = 'br' | 'gzip';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * br when the client accepts it, else gzip, else identity (the server's preference: smaller
 * first; `negotiator` would follow the client's order, and browsers list gzip first).
 */
export function negotiate(header: string | undefined): Encoding | 'identity' {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name, qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const accepted = (e: string) => (q.get(e) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return 'identity';
}

export function staticFiles(root: string): RequestHandler {
  const rootDir = path.resolve(root);
  const serve = express.static(rootDir, {
    index: false,
    // Headers are set below, per the original file name (the served one may be .br/.gz).
    cacheControl: false,
    setHeaders(res) {
      const meta = res.locals.staticFile as { original: string; encoding?: Encoding } | undefined;
      if (!meta) return;
      res.setHeader('Cache-Control', cacheControlFor(meta.original));
      if (COMPRESSIBLE.test(meta.original)) res.setHeader('Vary', 'Accept-Encoding');
      if (meta.encoding) {
        res.setHeader('Content-Encoding', meta.encoding);
        res.type(path.extname(meta.original));
      }
    },
  });
  const memory = new Map<string, { key: string; body: Buffer }>();

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(rootDir, rel);
    if (!file.startsWith(rootDir + path.sep) || rel.includes('\0')) return next();
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return next();
    }
    if (!stat.isFile()) return next();

    const meta: { original: string; encoding?: Encoding } = { original: file };
    res.locals.staticFile = meta;
    const encoding =
      COMPRESSIBLE.test(file) && stat.size >= MIN_COMPRESS_BYTES
        ? negotiate(req.headers['accept-encoding'])
        : 'identity';
    const relUrl = '/' + path.relative(rootDir, file).split(path.sep).join('/');
    if (encoding === 'br' || encoding === 'gzip') {
      meta.encoding = encoding;
      const pre = file + SUFFIX[encoding];
      if (fs.existsSync(pre) && fs.statSync(pre).mtimeMs >= stat.mtimeMs) {
        req.url = relUrl + SUFFIX[encoding];
        return serve(req, res, next);
      }
      // No precompressed copy (an older build): compress once, keep it while the file is unchanged.
      const key = `${stat.mtimeMs}:${stat.size}`;
      const id = `${encoding}:${file}`;
      let hit = memory.get(id);
      if (!hit || hit.key !== key) {
        const raw = fs.readFileSync(file);
        const body =
          encoding === 'br'
            ? zlib.brotliCompressSync(raw, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
                },
              })
            : zlib.gzipSync(raw, { level: 9 });
        hit = { key, body };
        memory.set(id, hit);
      }
      const etag = `W/"${encoding}-${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
      res.setHeader('ETag', etag);
      res.setHeader('Last-Modified', stat.mtime.toUTCString());
      res.setHeader('Cache-Control', cacheControlFor(file));
      res.setHeader('Vary', 'Accept-Encoding');
      res.setHeader('Content-Encoding', encoding);
      res.type(path.extname(file));
      if (req.fresh) return void res.status(304).end();
      res.setHeader('Content-Length', String(hit.body.length));
      return void (req.method === 'HEAD' ? res.end() : res.end(hit.body));
    }
    req.url = relUrl;
    return serve(req, res, next);
  };
}
