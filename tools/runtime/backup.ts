/**
 * `npm run backup -- <dest-folder>`: a consistent copy of the data folder while the server runs.
 * The database goes through SQLite's online backup (better-sqlite3 `db.backup()`), never a raw file
 * copy of a live WAL database; uploads and the session secret are copied as files. The copy is
 * owner-only (0700 folder, 0600 files). Restore: stop the server, copy the folder's contents back
 * into DATA_DIR (replacing tongxin.sqlite; delete any tongxin.sqlite-wal / -shm there), start it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseFile } from './local-runtime';

export async function backupDataDir(
  dataDir: string,
  dest: string,
): Promise<{ database: string; files: number }> {
  const source = databaseFile(dataDir);
  if (!fs.existsSync(source)) throw new Error(`没有找到数据库：${source}`);
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) throw new Error(`目标文件夹不是空的：${dest}`);
  fs.mkdirSync(dest, { recursive: true, mode: 0o700 });
  const target = databaseFile(dest);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  fs.chmodSync(target, 0o600);
  let files = 0;
  const copy = (from: string, to: string) => {
    if (!fs.existsSync(from)) return;
    if (fs.statSync(from).isDirectory()) {
      fs.mkdirSync(to, { recursive: true, mode: 0o700 });
      for (const name of fs.readdirSync(from)) copy(path.join(from, name), path.join(to, name));
    } else {
      fs.copyFileSync(from, to);
      fs.chmodSync(to, 0o600);
      files++;
    }
  };
  copy(path.join(dataDir, 'uploads'), path.join(dest, 'uploads'));
  copy(path.join(dataDir, 'session-secret'), path.join(dest, 'session-secret'));
  return { database: target, files };
}

if (require.main === module) {
  const dest = process.argv[2];
  const dataDir = process.env.DATA_DIR ?? path.resolve(__dirname, '../../data');
  if (!dest) {
    console.error('用法：npm run backup -- <目标文件夹>（DATA_DIR 指定数据目录，默认 ./data）');
    process.exit(1);
  }
  backupDataDir(dataDir, path.resolve(dest))
    .then((r) => console.log(`已备份：${r.database}，另有 ${r.files} 个文件`))
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
