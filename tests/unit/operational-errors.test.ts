import { describe, expect, it } from 'vitest';
import { DatabaseStartupError, dataDirStartupError } from '../../server/db/connect.ts';
import { translateDatabaseError } from '../../server/http/pg-errors.ts';

function errno(code: string, syscall = 'open'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall} '/var/lib/atlas/data/base/1'`), { code, syscall, errno: -30 });
}

// Issue 11, defect 9: a read-only DATA_DIR printed a raw EROFS stack trace at start; a full disk answered 500.
describe('operational failures become one sentence', () => {
  it('names a read-only data directory in one sentence for the operator', () => {
    const error = dataDirStartupError(errno('EROFS', 'mkdir'), '/var/lib/atlas/data');
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect(error.message).toBe(
      'The data directory /var/lib/atlas/data is on a read-only file system (EROFS): set DATA_DIR to a writable directory with free space, or use DATABASE_URL.',
    );
  });

  it('names a data directory that is not writable or on a full disk', () => {
    expect(dataDirStartupError(errno('EACCES'), '/d').message).toContain('is not writable for this user (EACCES)');
    expect(dataDirStartupError(errno('ENOSPC'), '/d').message).toContain('is on a full disk (ENOSPC)');
  });

  it('leaves other errors as they are', () => {
    const other = new Error('something else');
    expect(dataDirStartupError(other, '/d')).toBe(other);
  });

  it('turns a full disk during a request into 503 disk_full, from Node.js and from PostgreSQL', () => {
    for (const error of [errno('ENOSPC', 'write'), errno('EDQUOT', 'write'), Object.assign(new Error('could not extend file'), { code: '53100' })]) {
      const translated = translateDatabaseError(error);
      expect(translated?.status).toBe(503);
      expect(translated?.code).toBe('disk_full');
      expect(translated?.detail).not.toMatch(/var\/lib|extend/);
    }
  });

  it('turns a read-only file system or database into 503 storage_read_only', () => {
    expect(translateDatabaseError(errno('EROFS', 'write'))?.code).toBe('storage_read_only');
    expect(translateDatabaseError(Object.assign(new Error('read-only transaction'), { code: '25006' }))?.status).toBe(503);
  });

  it('turns NUL and invalid byte sequences from PostgreSQL into 400', () => {
    expect(translateDatabaseError(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))?.status).toBe(400);
    expect(translateDatabaseError(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))?.status).toBe(400);
  });
});
