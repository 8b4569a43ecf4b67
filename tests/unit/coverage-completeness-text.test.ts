import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { completenessSentence, sourceLabel } from '../../client/features/coverage/utils/completeness.ts';
import { de } from '../../client/i18n/locales/de.ts';
import { en } from '../../client/i18n/locales/en.ts';

const i18n = i18next.createInstance();

describe('the completeness sentence planners read', () => {
  beforeAll(async () => {
    await i18n.init({ lng: 'de', resources: { de: { translation: de }, en: { translation: en } }, interpolation: { escapeValue: false } });
  });

  it('says records, sources and the last verification in German and English', () => {
    const row = { records: 3, sources: [{ key: 'dataset:osm', records: 1 }, { key: 'department:50', records: 2 }], lastVerifiedAt: '2026-10-03T08:00:00.000Z' };
    expect(completenessSentence(row, i18n.getFixedT('de'), 'de')).toBe('3 Einträge aus 2 Quellen, zuletzt geprüft am 03.10.2026');
    expect(completenessSentence(row, i18n.getFixedT('en'), 'en')).toBe('3 records from 2 sources, last verified on 3 Oct 2026');
  });

  it('says so when nothing was ever verified, and when there is no record at all', () => {
    const one = { records: 1, sources: [{ key: 'dataset:osm', records: 1 }], lastVerifiedAt: null };
    expect(completenessSentence(one, i18n.getFixedT('de'), 'de')).toBe('1 Eintrag aus 1 Quelle, nicht von einer Dienststelle geprüft');
    const two = { records: 2, sources: [{ key: 'dataset:osm', records: 2 }], lastVerifiedAt: null };
    expect(completenessSentence(two, i18n.getFixedT('en'), 'en')).toBe('2 records from 1 source, none of them verified by a department');
    expect(completenessSentence({ records: 0, sources: [], lastVerifiedAt: null }, i18n.getFixedT('en'), 'en')).toBe(
      'No records – an offer or the data about it is missing here.',
    );
  });

  it('names a source with its data date and known gap', () => {
    const source = { key: 'dataset:osm', kind: 'dataset' as const, label: 'OpenStreetMap', dataDate: '2013-06-01', knownIncomplete: true, records: 2 };
    expect(sourceLabel(source, i18n.getFixedT('de'), 'de')).toBe('OpenStreetMap (Datenstand 01.06.2013, bekanntermaßen unvollständig)');
    const department = { key: 'department:50', kind: 'department' as const, label: 'Amt für Soziales', dataDate: null, knownIncomplete: false, records: 2 };
    expect(sourceLabel(department, i18n.getFixedT('en'), 'en')).toBe('Amt für Soziales (kept by the department)');
  });
});
