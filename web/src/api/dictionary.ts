import { api } from './client';
import type { Operations } from './generated/api';

/** One option of an enum field in the 字典 (src/app/dictionary.ts), as the server describes it. */
export type DictionaryItem = Operations['PUT /api/dictionary']['response'];

export type DictionaryPage = Operations['GET /api/dictionary']['response'];

export const dictionaryApi = {
  list: (q: { q?: string; kind?: string; overridden?: 'true' | 'false'; page: number; pageSize: number }) => api.get<DictionaryPage>('/dictionary', q),
  /** `label` null restores the built-in name. */
  set: (body: { kind: string; field: string; value: string; label: string | null }) => api.put<DictionaryItem>('/dictionary', body),
};
