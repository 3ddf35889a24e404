/**
 * Writes the tab-bar icons (81×81 PNG, transparent) to src/assets/tab/ without any image library:
 * each icon is a shape predicate rasterised with 4×4 supersampling and encoded with zlib.
 * Run: node miniprogram/scripts/gen-tab-icons.js
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZE = 81;
const COLORS = { normal: [0x66, 0x66, 0x66], active: [0xc8, 0x16, 0x1d] };

function crc32(buf) {
  let c;
  const table = [];
  for (let n = 0; n < 256; n++) {
    c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(inside, rgb) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  const S = 4;
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++)
          if (inside((x + (sx + 0.5) / S) / SIZE, (y + (sy + 0.5) / S) / SIZE)) hits++;
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
      raw[o + 3] = Math.round((255 * hits) / (S * S));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const ring = (x, y, cx, cy, r0, r1) => {
  const d = Math.hypot(x - cx, y - cy);
  return d >= r0 && d <= r1;
};
const W = 0.07; // stroke width

const shapes = {
  // house: roof triangle outline + body outline + door
  home(x, y) {
    const roof =
      y >= 0.14 &&
      y <= 0.5 &&
      Math.abs(x - 0.5) <= (y - 0.14) * 1.1 + W &&
      Math.abs(x - 0.5) >= (y - 0.14) * 1.1 - W;
    const body = inRect(x, y, 0.22, 0.45, 0.78, 0.86) && !inRect(x, y, 0.22 + W, 0.45, 0.78 - W, 0.86 - W);
    const door = inRect(x, y, 0.43, 0.62, 0.57, 0.86);
    return roof || body || door;
  },
  // calendar: frame, header bar, two rings, a check
  activity(x, y) {
    const frame = inRect(x, y, 0.14, 0.2, 0.86, 0.86) && !inRect(x, y, 0.14 + W, 0.2 + W, 0.86 - W, 0.86 - W);
    const header = inRect(x, y, 0.14, 0.2, 0.86, 0.38);
    const pins = inRect(x, y, 0.3, 0.1, 0.37, 0.28) || inRect(x, y, 0.63, 0.1, 0.7, 0.28);
    const d1 = Math.abs(y - (0.62 + (x - 0.42))) < W * 0.8 && x >= 0.32 && x <= 0.44;
    const d2 = Math.abs(y - (0.74 - (x - 0.44) * 1.2)) < W * 0.8 && x >= 0.43 && x <= 0.68;
    return frame || header || pins || d1 || d2;
  },
  // speech bubble: rounded frame, a tail at the lower left, three dots
  message(x, y) {
    const inside = (m) => {
      const x0 = 0.14 + m;
      const y0 = 0.18 + m;
      const x1 = 0.86 - m;
      const y1 = 0.7 - m;
      const r = Math.max(0.12 - m, 0.01);
      if (x < x0 || x > x1 || y < y0 || y > y1) return false;
      const cx = Math.min(Math.max(x, x0 + r), x1 - r);
      const cy = Math.min(Math.max(y, y0 + r), y1 - r);
      return Math.hypot(x - cx, y - cy) <= r;
    };
    const frame = inside(0) && !inside(W);
    const tail =
      y >= 0.68 && y <= 0.88 && x >= 0.28 && x <= 0.46 && Math.abs(x - (0.28 + (0.88 - y) * 0.9)) <= W * 0.8;
    const dots = [0.34, 0.5, 0.66].some((cx) => Math.hypot(x - cx, y - 0.44) <= 0.05);
    return frame || tail || dots;
  },
  // clipboard: frame, clip at the top, three lines of text
  grievance(x, y) {
    const frame = inRect(x, y, 0.2, 0.16, 0.8, 0.88) && !inRect(x, y, 0.2 + W, 0.16 + W, 0.8 - W, 0.88 - W);
    const clip = inRect(x, y, 0.36, 0.1, 0.64, 0.24);
    const lines = [0.42, 0.56, 0.7].some((ly) =>
      inRect(x, y, 0.32, ly, ly === 0.7 ? 0.54 : 0.68, ly + W * 0.8),
    );
    return frame || clip || lines;
  },
  // person: head ring + shoulders arc
  me(x, y) {
    const head = ring(x, y, 0.5, 0.34, 0.12, 0.12 + W);
    const body = y >= 0.62 && y <= 0.88 && ring(x, y, 0.5, 0.9, 0.26, 0.26 + W);
    const base = inRect(x, y, 0.24, 0.84, 0.76, 0.84 + W);
    return head || body || base;
  },
};

const out = path.join(__dirname, '..', 'src', 'assets', 'tab');
fs.mkdirSync(out, { recursive: true });
for (const [name, fn] of Object.entries(shapes)) {
  fs.writeFileSync(path.join(out, `${name}.png`), png(fn, COLORS.normal));
  fs.writeFileSync(path.join(out, `${name}-active.png`), png(fn, COLORS.active));
}
console.log('tab icons written to', out);
