import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type AppStatus, type Unit } from '../api'
import { today, unitTree } from '../utils/form'

export const useArchiveStore = defineStore('archive', () => {
  const status = ref<AppStatus | null>(null)
  const units = ref<Unit[]>([])
  const isOpen = computed(() => !!status.value?.archivePath)
  const tree = computed(() => unitTree(units.value))
  /** The current year by the archive's clock (the machine's date when unknown). */
  const thisYear = computed(() => Number((status.value?.today ?? today()).slice(0, 4)))
  const unitName = (id: number | null | undefined) => units.value.find((u) => u.id === id)?.name ?? ''

  async function refresh() {
    status.value = await api.appStatus()
    units.value = status.value.archivePath ? await api.listUnits() : []
  }

  async function use(next: Promise<AppStatus>) {
    status.value = await next
    units.value = status.value.archivePath ? await api.listUnits() : []
  }

  return {
    status,
    units,
    tree,
    isOpen,
    thisYear,
    unitName,
    refresh,
    reloadUnits: async () => (units.value = await api.listUnits()),
    create: (path: string) => use(api.createArchive(path)),
    open: (path: string) => use(api.openArchive(path)),
    openDemo: () => use(api.openDemo()),
    close: () => use(api.closeArchive()),
  }
})
