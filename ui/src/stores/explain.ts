import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Explanation } from '../api'

/** One explanation dialog for the whole app: any number can be clicked to open its tree. */
export const useExplainStore = defineStore('explain', () => {
  const current = ref<Explanation | null>(null)
  const title = ref('')
  return {
    current,
    title,
    show: (e: Explanation, heading?: string) => {
      current.value = e
      title.value = heading ?? e.label
    },
    close: () => (current.value = null),
  }
})
