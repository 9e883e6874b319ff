import { computed, ref, watch, type Ref } from 'vue';

/** Client-side paging of a list the server returns whole (users, reports, metrics): one page at a time. */
export function usePaged<T>(rows: Ref<readonly T[]>, size = 20) {
  const page = ref(1);
  const pageSize = ref(size);
  const pageRows = computed(() => rows.value.slice((page.value - 1) * pageSize.value, page.value * pageSize.value));
  // A shorter list (a new filter) must not leave the view on a page past its end.
  watch(
    () => rows.value.length,
    (n) => {
      if ((page.value - 1) * pageSize.value >= n) page.value = 1;
    },
  );
  return { page, pageSize, pageRows, total: computed(() => rows.value.length) };
}
