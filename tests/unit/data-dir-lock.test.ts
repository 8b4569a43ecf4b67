import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../server/db/data-dir-lock.ts';

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
    expect(fs.readFileSync(path.join(directory, 'angebotsatlas.pid'), 'utf8')).toBe(String(process.pid));
    unlock();
    expect(fs.existsSync(path.join(directory, 'angebotsatlas.pid'))).toBe(false);
  });
});
