import { describe, expect, it } from 'vitest';
import { hsdsServiceToInput, readHsdsServices, stableUuid } from '../../server/hsds/hsds.mapping.ts';

describe('HSDS mapping', () => {
  it('makes stable, valid version-5 UUIDs for nested records', () => {
    const id = stableUuid('phone', 'offer-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('phone', 'offer-1')).toBe(id);
    expect(stableUuid('phone', 'offer-2')).not.toBe(id);
  });

  it('reads a page, a list or a single service', () => {
    const service = { id: 'x', name: 'A', status: 'active' };
    expect(readHsdsServices({ contents: [service] })).toEqual([service]);
    expect(readHsdsServices([service])).toEqual([service]);
    expect(readHsdsServices(service)).toEqual([service]);
  });

  it('maps status, address lines and cost options to offer fields', () => {
    const record = hsdsServiceToInput(
      {
        id: 'b1b1b1b1-0000-4000-8000-000000000001',
        name: 'Beratung',
        status: 'temporarily closed',
        cost_options: [{ id: 'c', amount: 0 }],
        fees_description: 'kostenlos',
        service_at_locations: [{ id: 's', location: { id: 'l', latitude: 50.9, longitude: 6.9, addresses: [{ address_1: 'Venloer Str. 12-14' }] } }],
      },
      3,
      { source: 'hsds', departmentCode: 'AMT50' },
    );
    expect(record.input).toMatchObject({
      departmentCode: 'AMT50',
      status: 'temporarily_closed',
      cost: { kind: 'free', text: 'kostenlos' },
      source: 'hsds',
      externalId: 'b1b1b1b1-0000-4000-8000-000000000001',
      locations: [{ address: { street: 'Venloer Str.', houseNumber: '12-14' }, geometry: { coordinates: [6.9, 50.9] } }],
    });
    expect(record.warnings).toEqual([]);
  });

  it('warns when fees cannot be classified', () => {
    const record = hsdsServiceToInput({ id: 'x', name: 'A', status: 'active', fees_description: 'nach Vereinbarung' }, 1, { source: 'hsds' });
    expect(record.input.cost).toBeUndefined();
    expect(record.warnings).toHaveLength(1);
  });
});
