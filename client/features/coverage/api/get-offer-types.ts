import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TaxonomiesResponse, TaxonomyTerm } from '../../../../server/taxonomies/taxonomies.schema';
import { getJson } from '../../../lib/api-client';

export type OfferTypeOption = { code: string; label: { de: string; en: string }; depth: number };

// Offer types in tree order (parents before their sub-types), for the question form.
export function offerTypeOptions(response: TaxonomiesResponse): OfferTypeOption[] {
  const terms = response.taxonomies.find((taxonomy) => taxonomy.code === 'offer_type')?.terms ?? [];
  const options: OfferTypeOption[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const term of terms.filter((candidate: TaxonomyTerm) => candidate.parent === parent)) {
      options.push({ code: term.code, label: term.label, depth });
      visit(term.code, depth + 1);
    }
  };
  visit(null, 0);
  return options;
}

export function offerTypesQueryOptions() {
  return queryOptions({
    queryKey: ['taxonomies'],
    queryFn: ({ signal }) => getJson<TaxonomiesResponse>('/api/taxonomies', { signal }),
    staleTime: 10 * 60 * 1000,
    select: offerTypeOptions,
  });
}

export function useOfferTypes() {
  return useQuery(offerTypesQueryOptions());
}
