import { computed, ref, watch } from 'vue'

/** Rows per page where the window pages a list it already holds (import preview, 年度考核 list). */
export const CLIENT_PAGE = 100

/** One page of `source` at a time; back to the first page whenever `source` changes. */
export function usePaged<T>(source: () => T[]) {
  const all = computed(source)
  const page = ref(1)
  watch(all, () => (page.value = 1))
  const rows = computed(() => all.value.slice((page.value - 1) * CLIENT_PAGE, page.value * CLIENT_PAGE))
  const total = computed(() => all.value.length)
  return { page, rows, total }
}
