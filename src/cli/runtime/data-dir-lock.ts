import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineError } from '../../kernel/index.js';

export const dataDirInUse = defineError('CD_ERR_DATA_DIR_IN_USE', { class: 'permanent', title: 'Data directory in use' });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One hub per data directory: two would both consume the same store's partitions. The lock file
 * holds the owner's pid; a lock left by a dead process (a crash, SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'hub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw dataDirInUse(`data directory ${dir} is in use by another crossdock process (pid ${pid}); stop it or use --data`, {
          path: 'dataDir',
          pid,
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw dataDirInUse(`could not lock data directory ${dir}`, { path: 'dataDir' });
}
