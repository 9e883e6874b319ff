import { api } from './client';

/** One option of an enum field in the 字典 (src/app/dictionary.ts). */
export interface DictionaryItem {
  kind: string;
  kindLabel: string;
  field: string;
  fieldLabel: string;
  value: string;
  defaultLabel: string;
  label: string;
  overridden: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
}

export interface DictionaryPage {
  items: DictionaryItem[];
  total: number;
  kinds: { kind: string; label: string }[];
}

export const dictionaryApi = {
  list: (q: { q?: string; kind?: string; overridden?: 'true' | 'false'; page: number; pageSize: number }) => api.get<DictionaryPage>('/dictionary', q),
  /** `label` null restores the built-in name. */
  set: (body: { kind: string; field: string; value: string; label: string | null }) => api.put<DictionaryItem>('/dictionary', body),
};
