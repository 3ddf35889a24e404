/**
 * The local stand-in for WeChat cloud storage. The server's `POST /api/upload` hands the raw bytes
 * to `save`, which decides what the file is from its bytes (never from a filename or Content-Type),
 * keeps the original and a display copy (at most 1080 px on the long side) under
 * `<dataDir>/uploads/` (in memory for ':memory:'), and records the owner in the `files` collection.
 * Handlers only see the `FileStorage` side: `ownedBy` and `urls`, and for generated documents
 * (exports) `putDocument` and `documentUrl` (kept under `<dataDir>/exports/`, served by the server
 * at a signed link that expires).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Database } from '../../cloudfunctions/core/db-types';
import type { FileStorage } from '../../cloudfunctions/core/runtime';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Longest side of the display copy. */
export const DISPLAY_MAX_PX = 1080;
/** Decompression-bomb guard: a 5 MB file may still claim enormous dimensions. ~100 MP. */
const MAX_INPUT_PIXELS = 100_000_000;

export const MSG_NOT_IMAGE = '只能上传图片（JPG、PNG、GIF、WebP）';
export const MSG_TOO_LARGE = '图片不能超过 5 MB';
export const MSG_BROKEN = '图片文件已损坏，无法读取';
export const MSG_TOO_MANY_PIXELS = '图片尺寸过大，请缩小后再上传';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

const CONTENT_TYPE: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};
const EXTENSION: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp' };

/** What the `files` collection keeps per upload (document id = the 32 hex digits). */
export interface FileRecord {
  owner: string;
  format: ImageFormat;
  bytes: number;
  width: number;
  height: number;
  display: { format: ImageFormat; bytes: number; width: number; height: number };
  createdAt: number;
}

export interface StoredImage {
  bytes: Buffer;
  contentType: string;
}

/** A refused upload; `status` is the HTTP status the server answers with. */
export class UploadRejected extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.name = 'UploadRejected';
  }
}

export interface LocalFileStorage extends FileStorage {
  /** Validates and stores an upload by `owner`; throws `UploadRejected` for anything not allowed. */
  save(bytes: Buffer, owner: string): Promise<{ fileId: string; url: string }>;
  /** The display copy (or the original), for `GET /files/:id`; undefined when unknown. */
  read(idOrFileId: string, options?: { original?: boolean }): Promise<StoredImage | undefined>;
  /**
   * A stored document behind a signed link (`GET /exports/<key>?e=<expiry ms>&s=<signature>`):
   * undefined when the key is unknown, the signature wrong or the link expired.
   */
  readDocument(
    key: string,
    expires: string | undefined,
    signature: string | undefined,
  ): Promise<StoredDocument | undefined>;
}

export interface StoredDocument {
  bytes: Buffer;
  name: string;
  contentType: string;
}

const DOC_ID = /^localdoc:([0-9a-f]{32})$/;
const DOC_KEY = /^[0-9a-f]{32}$/;
const DOC_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export const documentPath = (key: string): string => `/exports/${key}`;

const FILE_ID = /^local:([0-9a-f]{32})$/;
const HEX_ID = /^[0-9a-f]{32}$/;

/** `local:<hex>` or a bare `<hex>` (as in `/files/<hex>`) → the hex, or undefined. */
export function localFileKey(idOrFileId: string): string | undefined {
  if (HEX_ID.test(idOrFileId)) return idOrFileId;
  return FILE_ID.exec(idOrFileId)?.[1];
}

export const fileUrl = (key: string): string => `/files/${key}`;

/**
 * The format from the file's first bytes. Only these four signatures are ever handed to the image
 * decoder, so no other loader (SVG, TIFF, HEIF, …) sees user bytes.
 */
export function sniffImageFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (bytes.length >= 12 && head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

interface Blobs {
  put(name: string, bytes: Buffer): Promise<void>;
  get(name: string): Promise<Buffer | undefined>;
}

function memoryBlobs(): Blobs {
  const map = new Map<string, Buffer>();
  return {
    put: async (name, bytes) => void map.set(name, bytes),
    get: async (name) => map.get(name),
  };
}

function diskBlobs(dir: string): Blobs {
  return {
    async put(name, bytes) {
      await fs.promises.mkdir(dir, { recursive: true });
      // Write-then-rename so a crash never leaves a half-written image behind a recorded id.
      const tmp = path.join(dir, `.${name}.tmp`);
      await fs.promises.writeFile(tmp, bytes);
      await fs.promises.rename(tmp, path.join(dir, name));
    },
    async get(name) {
      try {
        return await fs.promises.readFile(path.join(dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

/** The display copy: oriented by EXIF, ≤ 1080 px, metadata (GPS etc.) stripped. */
async function displayCopy(
  bytes: Buffer,
  meta: sharp.Metadata,
): Promise<{ data: Buffer; info: sharp.OutputInfo; format: ImageFormat }> {
  const animated = (meta.pages ?? 1) > 1;
  const base = sharp(bytes, { animated, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize(DISPLAY_MAX_PX, DISPLAY_MAX_PX, { fit: 'inside', withoutEnlargement: true });
  if (meta.format === 'jpeg' || (!meta.hasAlpha && !animated)) {
    const { data, info } = await base
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { data, info, format: 'jpeg' };
  }
  // Transparency or animation: WebP keeps both and is far smaller than PNG/GIF.
  const { data, info } = await base.webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
  return { data, info, format: 'webp' };
}

export function createLocalFileStorage(options: {
  db: Database;
  dataDir: string | ':memory:';
  now: () => number;
  /** Signs document links; a random key per process when absent (links then end with it). */
  documentSecret?: Buffer;
}): LocalFileStorage {
  const { db, now } = options;
  const blobs =
    options.dataDir === ':memory:' ? memoryBlobs() : diskBlobs(path.join(options.dataDir, 'uploads'));
  const files = () => db.collection('files');
  // Generated documents (exports) live apart from images: never in `files`, so `ownedBy` can
  // never vouch for one as an uploaded image. Links are signed with a per-process key.
  const docs =
    options.dataDir === ':memory:' ? memoryBlobs() : diskBlobs(path.join(options.dataDir, 'exports'));
  const signingKey = options.documentSecret ?? randomBytes(32);
  const sign = (key: string, expires: number) =>
    createHmac('sha256', signingKey).update(`${key}.${expires}`).digest('base64url');

  async function record(key: string): Promise<FileRecord | undefined> {
    const { data } = (await files().doc(key).get()) as { data: FileRecord[] };
    return data[0];
  }

  return {
    async save(bytes, owner) {
      if (bytes.length > MAX_UPLOAD_BYTES) throw new UploadRejected(MSG_TOO_LARGE, 413);
      const format = sniffImageFormat(bytes);
      if (!format) throw new UploadRejected(MSG_NOT_IMAGE);
      let meta: sharp.Metadata;
      let display: Awaited<ReturnType<typeof displayCopy>>;
      try {
        meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
        // The decoder must agree with the signature (a PNG header glued onto something else fails here).
        if (meta.format !== format) throw new UploadRejected(MSG_NOT_IMAGE);
        display = await displayCopy(bytes, meta);
      } catch (err) {
        if (err instanceof UploadRejected) throw err;
        const message = String((err as Error).message);
        if (/pixel limit/i.test(message)) throw new UploadRejected(MSG_TOO_MANY_PIXELS);
        throw new UploadRejected(MSG_BROKEN);
      }
      const key = randomBytes(16).toString('hex');
      await blobs.put(`${key}.${EXTENSION[format]}`, bytes);
      await blobs.put(`${key}-display.${EXTENSION[display.format]}`, display.data);
      const doc: FileRecord = {
        owner,
        format,
        bytes: bytes.length,
        width: meta.width ?? 0,
        height: meta.pageHeight ?? meta.height ?? 0,
        display: {
          format: display.format,
          bytes: display.data.length,
          width: display.info.width,
          height: display.info.pageHeight ?? display.info.height,
        },
        createdAt: now(),
      };
      await files().doc(key).set(doc);
      return { fileId: `local:${key}`, url: fileUrl(key) };
    },

    async read(idOrFileId, { original = false } = {}) {
      const key = localFileKey(idOrFileId);
      if (!key) return undefined;
      const doc = await record(key);
      if (!doc) return undefined;
      const format = original ? doc.format : doc.display.format;
      const bytes = await blobs.get(
        original ? `${key}.${EXTENSION[format]}` : `${key}-display.${EXTENSION[format]}`,
      );
      return bytes && { bytes, contentType: CONTENT_TYPE[format] };
    },

    async ownedBy(fileId, openid) {
      const match = FILE_ID.exec(fileId);
      if (!match || !openid) return false;
      const doc = await record(match[1]);
      return doc?.owner === openid;
    },

    async putDocument(bytes, name, owner) {
      const key = randomBytes(16).toString('hex');
      const meta = JSON.stringify({ name, owner, bytes: bytes.length, createdAt: now() });
      await docs.put(`${key}.bin`, bytes);
      await docs.put(`${key}.json`, Buffer.from(meta));
      return `localdoc:${key}`;
    },

    async documentUrl(fileId, expiresInMs) {
      const key = DOC_ID.exec(fileId)?.[1];
      if (!key) return '';
      // Real time: the link is checked by the server against its own clock.
      const expires = Date.now() + expiresInMs;
      return `${documentPath(key)}?e=${expires}&s=${sign(key, expires)}`;
    },

    async readDocument(key, expiresText, signature) {
      if (!DOC_KEY.test(key) || !expiresText || !signature || !/^\d{1,15}$/.test(expiresText))
        return undefined;
      const expires = Number(expiresText);
      if (expires < Date.now()) return undefined;
      const expected = Buffer.from(sign(key, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const [bytes, metaBytes] = await Promise.all([docs.get(`${key}.bin`), docs.get(`${key}.json`)]);
      if (!bytes || !metaBytes) return undefined;
      const { name } = JSON.parse(metaBytes.toString('utf8')) as { name: string };
      const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
      return { bytes, name, contentType: DOC_TYPES[ext] ?? 'application/octet-stream' };
    },

    async urls(fileIds) {
      return Promise.all(
        fileIds.map(async (id) => {
          const match = FILE_ID.exec(id);
          return match && (await record(match[1])) ? fileUrl(match[1]) : '';
        }),
      );
    },
  };
}
