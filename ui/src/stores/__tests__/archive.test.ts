import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { AppStatus, Session, Unit } from '../../api/types'

const clerk: Session = { user: 'clerk', displayName: '东城区干部科', roles: ['档案管理员'], allUnits: false, units: [2], recovery: false }
const status = (archivePath: string | null, session: Session | null = null): AppStatus => ({
  archivePath,
  selectedArchive: '/d/演示档案.db',
  selectedState: 'encrypted',
  session,
  idleMinutes: 10,
  lastArchive: archivePath,
  upgraded: null,
  defaultNewPath: '/home/u/干事档案.db',
  demoPath: '/d/演示档案.db',
  version: '0.1.0',
  today: '2026-11-22',
})
const units: Unit[] = [
  { id: 2, parentId: 1, code: '2', name: '丰河县', kind: '县(市、区)', sortOrder: 2 },
  { id: 1, parentId: null, code: '1', name: '燕州市', kind: '市', sortOrder: 1 },
]
const api = {
  appStatus: vi.fn(async () => status(null)),
  login: vi.fn(async () => status('/d/演示档案.db', clerk)),
  lockArchive: vi.fn(async () => status(null)),
  createDemo: vi.fn(async () => ({ status: status('/d/演示档案.db', { ...clerk, user: 'admin', roles: ['系统管理员'] }), recoveryKey: 'AAAA-BBBB' })),
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

  it('starts signed out and loads no units without a session', async () => {
    const store = useArchiveStore()
    await store.refresh()
    expect(store.isOpen).toBe(false)
    expect(api.listUnits).not.toHaveBeenCalled()
  })

  it('signing in loads the unit tree and the roles; locking forgets both', async () => {
    const store = useArchiveStore()
    await store.login('clerk', 'pw')
    expect(store.isOpen).toBe(true)
    expect(store.tree[0]?.label).toBe('燕州市')
    expect(store.unitName(2)).toBe('丰河县')
    expect(store.can('档案管理员')).toBe(true)
    expect(store.can('领导')).toBe(false)
    await store.lock('已锁定')
    expect(store.isOpen).toBe(false)
    expect(store.units).toEqual([])
    expect(store.notice).toBe('已锁定')
    expect(store.can('档案管理员')).toBe(false)
  })

  it('keeps a new archive recovery key until it is confirmed', async () => {
    const store = useArchiveStore()
    await store.createDemo('pw')
    expect(store.recoveryKey).toBe('AAAA-BBBB')
    expect(store.isOpen).toBe(true)
  })
})

describe('the current year', () => {
  it('comes from the archive clock', async () => {
    setActivePinia(createPinia())
    const store = useArchiveStore()
    await store.login('clerk', 'pw')
    expect(store.thisYear).toBe(2026)
  })
})
