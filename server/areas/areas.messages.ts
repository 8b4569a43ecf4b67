import { notAnAreaId } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of GET /api/areas, German first. */
export const areaMessages: MessageCatalogue = {
  'field.parentId': notAnAreaId,
};
