import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentLockOwner, DataDirInUseError, lockDataDir, parseLockFile, processStartTime } from '../../server/db/data-dir-lock.ts';

describe('embedded data directory lock', () => {
  const directories: string[] = [];
  const freshDirectory = () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-lock-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a second process while the first one lives, naming its pid', () => {
    const directory = freshDirectory();
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), String(process.ppid));
    expect(() => lockDataDir(directory)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(directory)).toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over the lock of a process that no longer exists', () => {
    const directory = freshDirectory();
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), '2147483646');
    const unlock = lockDataDir(directory);
    expect(parseLockFile(fs.readFileSync(path.join(directory, 'angebotsatlas.pid'), 'utf8'))?.pid).toBe(process.pid);
    unlock();
    expect(fs.existsSync(path.join(directory, 'angebotsatlas.pid'))).toBe(false);
  });

  // Issue 11, defect 9: after a container restart the pid in a stale file belonged to another
  // process, which kept the new server from starting.
  it('records the pid with its process start time and boot id', () => {
    const directory = freshDirectory();
    const unlock = lockDataDir(directory);
    const owner = parseLockFile(fs.readFileSync(path.join(directory, 'angebotsatlas.pid'), 'utf8'));
    expect(owner).toEqual(currentLockOwner());
    if (fs.existsSync('/proc/self/stat')) expect(owner?.startTime).toMatch(/^\d+$/);
    unlock();
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('takes over a lock whose pid now belongs to another process (pid reuse)', () => {
    const directory = freshDirectory();
    const reused = { ...currentLockOwner(), pid: process.ppid, startTime: String(Number(processStartTime(process.ppid)) + 12345) };
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), JSON.stringify(reused));
    const unlock = lockDataDir(directory);
    expect(parseLockFile(fs.readFileSync(path.join(directory, 'angebotsatlas.pid'), 'utf8'))?.pid).toBe(process.pid);
    unlock();
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('takes over a lock written before the last boot', () => {
    const directory = freshDirectory();
    const earlierBoot = { pid: process.ppid, startTime: processStartTime(process.ppid), bootId: '00000000-0000-0000-0000-000000000000', host: 'old' };
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), JSON.stringify(earlierBoot));
    lockDataDir(directory)();
  });

  it('refuses while the recorded process (same pid, same start time) still runs', () => {
    const directory = freshDirectory();
    const live = { pid: process.ppid, startTime: processStartTime(process.ppid), bootId: currentLockOwner().bootId, host: 'here' };
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), JSON.stringify(live));
    expect(() => lockDataDir(directory)).toThrow(DataDirInUseError);
  });

  it('takes over an unreadable lock file', () => {
    const directory = freshDirectory();
    fs.writeFileSync(path.join(directory, 'angebotsatlas.pid'), 'garbage');
    lockDataDir(directory)();
  });
});
