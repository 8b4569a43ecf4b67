import type { CoverageMethod } from '../../../../server/coverage/coverage.schema';
import { fill, useCoverageTexts } from '../i18n/coverage-texts';

// Every figure states its method and data date: shown under the map, the table and the profile.
export function MethodNote({ method }: { method: CoverageMethod }) {
  const { texts } = useCoverageTexts();
  const m = texts.method;
  const bands = method.e2sfca.bands.map((band) => `≤ ${band.upToMeters} m: ${band.weight}`).join(', ');
  return (
    <details className="coverage-method" open>
      <summary>{m.title}</summary>
      <ul>
        <li>{fill(m.demand, { indicators: method.demand.indicators.map((indicator) => indicator.label).join(' + '), period: method.demand.period })}</li>
        <li>
          {fill(m.reach, { meters: method.reach.meters, mode: method.reach.mode === 'walk' ? m.walk : m.airline })}{' '}
          {method.reach.detourFactor !== null && method.reach.measuredOn !== 'street_network' ? fill(m.detour, { factor: method.reach.detourFactor }) : null}
          {m.basis[method.reach.basis] ? ` — ${m.basis[method.reach.basis]}` : null}
        </li>
        <li>
          {fill(m.supply, {
            offers: method.supply.offers,
            locations: method.supply.locations,
            updated: method.dataDates.offersUpdated?.slice(0, 10) ?? '–',
          })}
        </li>
        <li>{fill(m.e2sfca, { bands, measure: method.e2sfca.supplyMeasure === 'capacity' ? m.measureCapacity : m.measureOffers })}</li>
        <li>{fill(m.sources, { sources: method.sources.join('; ') })}</li>
        <li>{m.more}</li>
      </ul>
    </details>
  );
}
