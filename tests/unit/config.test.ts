import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectRoot, redactDatabaseUrl } from '../../server/config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({}, '1.2.3');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: path.join(projectRoot, 'data'),
      databaseUrl: undefined,
      city: 'koeln',
      holidayState: 'NW',
      basemapStyleUrl: undefined,
      version: '1.2.3',
    });
    expect(config.geodataDir).toBe(path.resolve(projectRoot, '../shared/geodata-sources'));
    expect(config.searchIndexRebuildDelayMs).toBe(0);
  });

  it('reads whether a stale search index answers around the changes, and how long it waits before it is built anew', () => {
    expect(loadConfig({ SEARCH_INDEX_REBUILD_DELAY_MS: '60000' }).searchIndexRebuildDelayMs).toBe(60_000);
    expect(() => loadConfig({ SEARCH_INDEX_REBUILD_DELAY_MS: '-5' })).toThrow(/SEARCH_INDEX_REBUILD_DELAY_MS must be at least 0/);
    expect(() => loadConfig({ SEARCH_INDEX_REBUILD_DELAY_MS: 'soon' })).toThrow(/SEARCH_INDEX_REBUILD_DELAY_MS must be a number of milliseconds/);
    expect(loadConfig({}).searchIndexStaleAnswers).toBe(true);
    expect(loadConfig({ SEARCH_INDEX_STALE_ANSWERS: 'false' }).searchIndexStaleAnswers).toBe(false);
    expect(() => loadConfig({ SEARCH_INDEX_STALE_ANSWERS: 'no' })).toThrow(/SEARCH_INDEX_STALE_ANSWERS must be "true" or "false"/);
  });

  it('names the variable and the reason of an invalid value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', BASEMAP_STYLE_URL: 'ftp://x' });
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT must be a whole number between 0 and 65535 \(got "70000"\)/m);
      expect(problems).toMatch(/^LOG_LEVEL must be one of fatal, error/m);
      expect(problems).toMatch(/^BASEMAP_STYLE_URL must be an http\(s\) URL/m);
    }
  });

  it('never echoes a database URL back, since it may hold a password', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:secret@host/db' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).message).toContain('DATABASE_URL must be a postgres://');
      expect((error as ConfigError).message).not.toContain('secret');
    }
  });

  it('treats empty optional variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', BASEMAP_STYLE_URL: ' ' })).toMatchObject({
      databaseUrl: undefined,
      basemapStyleUrl: undefined,
    });
  });

  it('redacts the password of a database URL', () => {
    expect(redactDatabaseUrl('postgres://atlas:s3cret@db.example.org:5432/atlas')).toBe(
      'postgres://atlas:***@db.example.org:5432/atlas',
    );
  });
});
