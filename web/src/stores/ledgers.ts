import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ledgerApi } from '../api/endpoints';
import type { LedgerDef } from '../api/types';

/** The ledger definitions the server serves: everything the generic list, form and menu are built from. */
export const useLedgerStore = defineStore('ledgers', () => {
  const defs = ref<LedgerDef[]>([]);
  const loaded = ref(false);
  let pending: Promise<void> | null = null;

  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return;
    if (pending && !force) return pending;
    pending = ledgerApi
      .list()
      .then((res) => {
        defs.value = res.items;
        loaded.value = true;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  const byKind = computed(() => new Map(defs.value.map((d) => [d.kind, d])));

  function get(kind: string): LedgerDef | undefined {
    return byKind.value.get(kind);
  }

  function reset(): void {
    defs.value = [];
    loaded.value = false;
  }

  return { defs, loaded, load, get, byKind, reset };
});
