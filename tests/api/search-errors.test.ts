import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDatabase: TestDatabase;
let app: Express;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase.destroy();
});

const cases: Array<{ name: string; path: string; query: Record<string, string>; field: string; code?: string }> = [
  { name: 'a latitude out of range', path: '/api/search', query: { lat: '95', lon: '6.95' }, field: 'query.lat' },
  { name: 'a longitude that is not a number', path: '/api/search', query: { lat: '50.9', lon: 'east' }, field: 'query.lon' },
  { name: 'lat without lon', path: '/api/search', query: { lat: '50.9' }, field: 'query.lon' },
  { name: 'both an address and coordinates', path: '/api/search', query: { lat: '50.9', lon: '6.9', address: 'Neumarkt' }, field: 'query.address' },
  { name: 'a radius below 50 m', path: '/api/search', query: { radius: '10' }, field: 'query.radius' },
  { name: 'a radius above 50 km', path: '/api/search', query: { radius: '99999' }, field: 'query.radius' },
  { name: 'a fractional radius', path: '/api/search', query: { radius: '100.5' }, field: 'query.radius' },
  { name: 'an offer type code with capitals', path: '/api/search', query: { type: 'Seniors!' }, field: 'query.type' },
  { name: 'an unknown offer type', path: '/api/search', query: { type: 'seniors,spaceport' }, field: 'query.type', code: 'unknown_term' },
  { name: 'an unknown target group', path: '/api/search', query: { targetGroup: 'martians' }, field: 'query.targetGroup', code: 'unknown_term' },
  { name: 'an unknown field of action', path: '/api/search', query: { fieldOfAction: 'leisure' }, field: 'query.fieldOfAction', code: 'unknown_term' },
  { name: 'an unknown accessibility feature', path: '/api/search', query: { accessible: 'ramp' }, field: 'query.accessible', code: 'unknown_term' },
  { name: 'a language that is not ISO 639', path: '/api/search', query: { language: 'deutsch' }, field: 'query.language' },
  { name: 'openNow that is not a boolean', path: '/api/search', query: { openNow: 'yes' }, field: 'query.openNow' },
  { name: 'an unreadable time', path: '/api/search', query: { at: 'tomorrow' }, field: 'query.at' },
  { name: 'an impossible date', path: '/api/search', query: { at: '2025-02-30T10:00' }, field: 'query.at', code: 'invalid_date' },
  { name: 'openNow together with at', path: '/api/search', query: { openNow: 'true', at: '2025-11-03T10:00' }, field: 'query.at' },
  { name: 'free that is not a boolean', path: '/api/search', query: { free: 'gratis' }, field: 'query.free' },
  { name: 'a negative age', path: '/api/search', query: { age: '-1' }, field: 'query.age' },
  { name: 'a text that is too long', path: '/api/search', query: { q: 'x'.repeat(201) }, field: 'query.q' },
  { name: 'page 0', path: '/api/search', query: { page: '0' }, field: 'query.page' },
  { name: 'a page beyond the first 1000 results', path: '/api/search', query: { page: '51', pageSize: '20' }, field: 'query.page' },
  { name: 'a page size above 50', path: '/api/search', query: { pageSize: '500' }, field: 'query.pageSize' },
  { name: 'more than 20 codes', path: '/api/search', query: { type: Array.from({ length: 21 }, (_, index) => `t${index}`).join(',') }, field: 'query.type' },
  { name: 'an address nobody knows', path: '/api/search', query: { address: 'Xyzzyweg 5' }, field: 'query.address', code: 'address_not_found' },
  { name: 'a geocoder query without text', path: '/api/geocode', query: {}, field: 'query.q' },
  { name: 'a geocoder query without letters', path: '/api/geocode', query: { q: '12345' }, field: 'query.q' },
  { name: 'a one-letter geocoder query', path: '/api/geocode', query: { q: 'a' }, field: 'query.q' },
  { name: 'a too long geocoder query', path: '/api/geocode', query: { q: 'Venloer Straße '.repeat(20) }, field: 'query.q' },
  { name: 'a geocoder limit of 0', path: '/api/geocode', query: { q: 'Venloer', limit: '0' }, field: 'query.limit' },
  { name: 'a street box with three numbers', path: '/api/geocode/streets', query: { bbox: '6.9,50.9,7.0' }, field: 'query.bbox' },
  { name: 'a street box turned upside down', path: '/api/geocode/streets', query: { bbox: '6.9,50.95,6.95,50.9' }, field: 'query.bbox' },
  { name: 'a suggest limit that is not a number', path: '/api/geocode/suggest', query: { q: 'Venl', limit: 'many' }, field: 'query.limit' },
];

describe('bad parameters are answered as problem+json naming the parameter', () => {
  it.each(cases)('$name → 400 $field', async ({ path, query, field, code }) => {
    const response = await request(app).get(path).query(query).set('Accept-Language', 'en');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Bad request' });
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(code ? { code } : {}) })]));
    expect(response.body.detail).toContain(field.replace(/^query\./, ''));
    expect(JSON.stringify(response.body)).not.toMatch(/select|stack|knex/i);
  });
});

describe('an empty city', () => {
  it('geocodes nothing and searches nothing, without errors', async () => {
    const geocode = await request(app).get('/api/geocode').query({ q: 'Venloer Straße 1' });
    expect(geocode.status).toBe(200);
    expect(geocode.body).toEqual({ type: 'FeatureCollection', features: [] });
    const search = await request(app).get('/api/search').query({ lat: '50.94', lon: '6.95' });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ total: 0, results: [], walkingDistanceMethod: 'detour_factor' });
  });
});
