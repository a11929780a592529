import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { AppStatus, Unit } from '../../api/types'

const status = (archivePath: string | null): AppStatus => ({
  archivePath, lastArchive: archivePath, defaultNewPath: '/home/u/干事档案.db', demoPath: '/d/演示档案.db', version: '0.1.0', today: '2026-11-22',
})
const units: Unit[] = [
  { id: 2, parentId: 1, code: '2', name: '丰河县', kind: '县(市、区)', sortOrder: 2 },
  { id: 1, parentId: null, code: '1', name: '燕州市', kind: '市', sortOrder: 1 },
]
const api = {
  appStatus: vi.fn(async () => status(null)),
  openDemo: vi.fn(async () => status('/d/演示档案.db')),
  closeArchive: vi.fn(async () => status(null)),
  listUnits: vi.fn(async () => units),
}
vi.mock('../../api', () => ({ api }))

const { useArchiveStore } = await import('../archive')

describe('archive store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.clearAllMocks()
  })

  it('starts closed and loads no units without an archive', async () => {
    const store = useArchiveStore()
    await store.refresh()
    expect(store.isOpen).toBe(false)
    expect(api.listUnits).not.toHaveBeenCalled()
  })

  it('opening the demo loads the unit tree; closing forgets it', async () => {
    const store = useArchiveStore()
    await store.openDemo()
    expect(store.isOpen).toBe(true)
    expect(store.tree[0]?.label).toBe('燕州市')
    expect(store.tree[0]?.children[0]?.label).toBe('丰河县')
    expect(store.unitName(2)).toBe('丰河县')
    await store.close()
    expect(store.isOpen).toBe(false)
    expect(store.units).toEqual([])
  })
})

describe('the current year', () => {
  it('comes from the archive clock', async () => {
    setActivePinia(createPinia())
    const store = useArchiveStore()
    await store.openDemo()
    expect(store.thisYear).toBe(2026)
  })
})
