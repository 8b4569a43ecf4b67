import type { SearchState } from './search-state';

/**
 * The search's filters as the offer tiles take them (server/tiles/tiles.schema.ts), so that the
 * map draws every public offer the list could show. Full text, "open now" and the distance stay
 * with the list: the map shows the whole region, the list the nearest matches in order.
 */
export function offerTileQuery(state: SearchState): string {
  const query = new URLSearchParams();
  if (state.type.length > 0) query.set('type', state.type.join(','));
  if (state.targetGroup.length > 0) query.set('targetGroup', state.targetGroup.join(','));
  if (state.language.length > 0) query.set('language', state.language.join(','));
  if (state.accessible) query.set('accessible', 'true');
  if (state.free) query.set('free', 'true');
  return query.toString();
}
