import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase, type LocalDatabase, type LocalDatabaseOptions } from '../../tools/runtime/engine';

/** Opens a database in a fresh temp directory; `cleanup` closes it and deletes the files. */
export function openTemp(
  options: Partial<LocalDatabaseOptions> = {},
): LocalDatabase & { dir: string; file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'engine-'));
  const file = join(dir, 'db.sqlite');
  const local = openLocalDatabase({ file, ...options });
  return {
    ...local,
    dir,
    file,
    cleanup() {
      local.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
