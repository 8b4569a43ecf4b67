import type { CollectionDescription, CollectionLink, OgcFeature, OgcFeatureCollection } from './ogc.schema.ts';

/**
 * The OGC API's pages for people (conformance class "html"): plain, accessible HTML with the
 * same content as the JSON, links to the JSON, no script and no third-party resource.
 */

type Language = 'de' | 'en';

const words = {
  de: {
    service: 'Angebotsatlas – OGC API Features',
    collections: 'Sammlungen',
    conformance: 'Konformitätsklassen',
    items: 'Objekte',
    asJson: 'Als JSON',
    next: 'Nächste Seite',
    prev: 'Vorherige Seite',
    matched: 'Treffer insgesamt',
    returned: 'auf dieser Seite',
    property: 'Eigenschaft',
    value: 'Wert',
    id: 'Kennung',
    queryables: 'Filterbare Eigenschaften',
    api: 'API-Beschreibung (OpenAPI 3.0)',
  },
  en: {
    service: 'Angebotsatlas – OGC API Features',
    collections: 'Collections',
    conformance: 'Conformance classes',
    items: 'Items',
    asJson: 'As JSON',
    next: 'Next page',
    prev: 'Previous page',
    matched: 'matched in all',
    returned: 'on this page',
    property: 'Property',
    value: 'Value',
    id: 'Id',
    queryables: 'Queryables',
    api: 'API description (OpenAPI 3.0)',
  },
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<header><p><a href="./">${escapeHtml(words[language].service)}</a></p></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function link(item: CollectionLink): string {
  return `<a href="${escapeHtml(item.href)}">${escapeHtml(item.title ?? item.rel)}</a>`;
}

function jsonLink(links: CollectionLink[], language: Language): string {
  const json = links.find((item) => item.rel === 'alternate' || (item.rel === 'self' && item.type?.includes('json')));
  return json ? `<p><a href="${escapeHtml(json.href)}">${words[language].asJson}</a></p>` : '';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return escapeHtml(value.join(', '));
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
  return escapeHtml(String(value));
}

export function landingHtml(language: Language, landing: { title: string; description: string; links: CollectionLink[] }): string {
  const items = landing.links.filter((item) => item.rel !== 'self').map((item) => `<li>${link(item)}</li>`).join('\n');
  return page(language, landing.title, `<p>${escapeHtml(landing.description)}</p>\n<ul>\n${items}\n</ul>`);
}

export function conformanceHtml(language: Language, classes: readonly string[]): string {
  return page(language, words[language].conformance, `<ul>\n${classes.map((uri) => `<li>${escapeHtml(uri)}</li>`).join('\n')}\n</ul>`);
}

export function collectionsHtml(language: Language, collections: CollectionDescription[], links: CollectionLink[]): string {
  const rows = collections
    .map((collection) => {
      const items = collection.links.find((item) => item.rel === 'items' && item.type === 'text/html') ?? collection.links.find((item) => item.rel === 'items');
      return `<tr><th scope="row"><a href="${escapeHtml(`collections/${collection.id}`)}">${escapeHtml(collection.title)}</a></th><td>${escapeHtml(collection.description)}</td><td>${items ? `<a href="${escapeHtml(items.href)}">${words[language].items}</a>` : ''}</td></tr>`;
    })
    .join('\n');
  return page(
    language,
    words[language].collections,
    `${jsonLink(links, language)}<table>\n<thead><tr><th scope="col">${words[language].collections}</th><th scope="col"></th><th scope="col">${words[language].items}</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`,
  );
}

export function collectionHtml(language: Language, collection: CollectionDescription): string {
  const links = collection.links.filter((item) => item.rel !== 'self').map((item) => `<li>${link(item)}</li>`).join('\n');
  const bbox = collection.extent.spatial.bbox[0]?.join(', ') ?? '';
  return page(language, collection.title, `<p>${escapeHtml(collection.description)}</p>\n<p>BBOX: ${escapeHtml(bbox)}</p>\n<ul>\n${links}\n</ul>`);
}

export function queryablesHtml(language: Language, title: string, properties: Record<string, { title: string; type?: string; format?: string }>): string {
  const rows = Object.entries(properties)
    .map(([name, property]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(property.title)}</td><td>${escapeHtml(property.format ?? property.type ?? 'geometry')}</td></tr>`)
    .join('\n');
  return page(language, `${words[language].queryables}: ${title}`, `<table>\n<tbody>\n${rows}\n</tbody>\n</table>`);
}

export function itemsHtml(language: Language, title: string, collection: OgcFeatureCollection): string {
  const names = [...new Set(collection.features.flatMap((feature) => Object.keys(feature.properties)))].slice(0, 8);
  const header = `<tr><th scope="col">${words[language].id}</th>${names.map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('')}</tr>`;
  const rows = collection.features
    .map((feature) => `<tr><th scope="row"><a href="items/${encodeURIComponent(feature.id)}">${escapeHtml(feature.id)}</a></th>${names.map((name) => `<td>${cell(feature.properties[name])}</td>`).join('')}</tr>`)
    .join('\n');
  const paging = collection.links
    .filter((item) => item.rel === 'next' || item.rel === 'prev')
    .map((item) => `<a href="${escapeHtml(item.href)}" rel="${item.rel}">${words[language][item.rel as 'next' | 'prev']}</a>`)
    .join(' · ');
  const count = `<p>${collection.numberMatched} ${words[language].matched}, ${collection.numberReturned} ${words[language].returned}.</p>`;
  return page(language, title, `${jsonLink(collection.links, language)}${count}\n<table>\n<thead>${header}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n<nav>${paging}</nav>`);
}

export function itemHtml(language: Language, title: string, feature: OgcFeature, links: CollectionLink[]): string {
  const rows = Object.entries(feature.properties)
    .map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${cell(value)}</td></tr>`)
    .join('\n');
  const coordinates = feature.geometry?.type === 'Point' ? `<p>${escapeHtml(feature.geometry.coordinates.join(', '))}</p>` : '';
  return page(
    language,
    `${title}: ${String(feature.properties.name ?? feature.properties.areaName ?? feature.id)}`,
    `${jsonLink(links, language)}${coordinates}<table>\n<thead><tr><th scope="col">${words[language].property}</th><th scope="col">${words[language].value}</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`,
  );
}

export const apiTitle = (language: Language) => words[language].api;
