import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { orgApi } from '../api/endpoints';
import type { Org } from '../api/types';

/** Org units in the user's scope, with their departments (for pickers and filters). */
export const useOrgStore = defineStore('orgs', () => {
  const orgs = ref<Org[]>([]);
  const loaded = ref(false);

  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return;
    orgs.value = (await orgApi.list()).items;
    loaded.value = true;
  }

  const towns = computed(() => orgs.value.filter((o) => o.level !== '区'));

  function get(id: number | null | undefined): Org | undefined {
    return orgs.value.find((o) => o.id === id);
  }

  function reset(): void {
    orgs.value = [];
    loaded.value = false;
  }

  return { orgs, towns, loaded, load, get, reset };
});
