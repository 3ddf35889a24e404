import { randomFillSync } from 'node:crypto';

/** Random bytes drawn a few kilobytes at a time: one `randomBytes` call per id cost more than the insert. */
const idPool = Buffer.alloc(4096);
let idPoolOffset = idPool.length;

/** CloudBase ids are 32 hex characters (128 random bits). */
export function newId(): string {
  if (idPoolOffset + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  idPoolOffset += 16;
  return idPool.toString('hex', idPoolOffset - 16, idPoolOffset);
}
