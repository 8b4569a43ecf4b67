import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateOrganizationInput, Organization } from '../../../../server/organizations/organizations.schema';
import { sendJson } from '../../../lib/api-client';
import { organizationsQueryKey } from './search-organizations';

export function createOrganization(body: CreateOrganizationInput): Promise<Organization> {
  return sendJson<Organization>('/api/organizations', { method: 'POST', body });
}

export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createOrganization,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: organizationsQueryKey });
    },
  });
}
