import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const lockFileName = 'angebotsatlas.pid';

/**
 * Who holds the lock. A pid alone is not enough: after a container restart the pid namespace
 * starts again, and the pid in a stale file may now belong to another process (even to the
 * `npm start` wrapper of the new server), which blocked start-up. The process start time
 * (Linux: /proc/<pid>/stat, clock ticks since boot) and the boot id tell a reused pid apart.
 */
export interface LockOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot; null where /proc is missing. */
  startTime: string | null;
  /** /proc/sys/kernel/random/boot_id; null where /proc is missing. */
  bootId: string | null;
  host: string;
}

function readProcFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function processStartTime(pid: number): string | null {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function bootId(): string | null {
  return readProcFile('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

export function currentLockOwner(): LockOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid), bootId: bootId(), host: os.hostname() };
}

/** A lock file of this version (JSON) or of earlier ones (the bare pid). */
export function parseLockFile(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), startTime: null, bootId: null, host: '' };
  try {
    const parsed = JSON.parse(trimmed) as Partial<LockOwner>;
    if (!Number.isInteger(parsed.pid) || (parsed.pid ?? 0) <= 0) return undefined;
    return {
      pid: parsed.pid!,
      startTime: typeof parsed.startTime === 'string' ? parsed.startTime : null,
      bootId: typeof parsed.bootId === 'string' ? parsed.bootId : null,
      host: typeof parsed.host === 'string' ? parsed.host : '',
    };
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the recorded owner still runs: same pid, and (where known) the same boot and start time. */
export function ownerIsAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false;
  const current = bootId();
  if (owner.bootId && current && owner.bootId !== current) return false;
  if (!processIsAlive(owner.pid)) return false;
  if (owner.startTime === null) return true;
  const startTime = processStartTime(owner.pid);
  return startTime === null || startTime === owner.startTime;
}

/**
 * The embedded database may be opened by one process at a time; a second one would corrupt
 * it. A lock file in the data directory says who has it; a stale one (the process ended, or its
 * pid now belongs to another process) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, lockFileName);
  const me = currentLockOwner();
  const content = JSON.stringify(me);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
      return () => {
        try {
          if (parseLockFile(fs.readFileSync(lockPath, 'utf8'))?.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = parseLockFile(fs.readFileSync(lockPath, 'utf8'));
      if (owner && ownerIsAlive(owner)) throw new DataDirInUseError(dataDir, owner.pid);
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}: stop that process (e.g. the running server) first, or use DATABASE_URL.`,
    );
    this.name = 'DataDirInUseError';
  }
}
