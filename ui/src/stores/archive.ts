import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type AppStatus, type Created, type Role, type Unit } from '../api'
import { openUnits, today, unitTree } from '../utils/form'

export const useArchiveStore = defineStore('archive', () => {
  const status = ref<AppStatus | null>(null)
  const units = ref<Unit[]>([])
  /** Why the sign-in screen is showing (locked, signed out), for its notice. */
  const notice = ref('')
  /** Who locked the window (not signed out): the lock screen asks that user's password only. */
  const lockedUser = ref<{ user: string; displayName: string } | null>(null)
  /** A new archive's recovery key, until the user confirms it is kept safe. */
  const recoveryKey = ref('')
  const isOpen = computed(() => !!status.value?.archivePath && !!status.value?.session)
  const session = computed(() => status.value?.session ?? null)
  const tree = computed(() => unitTree(units.value))
  /** The units every tree and picker shows opened at first (see `openUnits`). */
  const opened = computed(() => openUnits(tree.value))
  /** The current year by the archive's clock (the machine's date when unknown). */
  const thisYear = computed(() => Number((status.value?.today ?? today()).slice(0, 4)))
  const names = computed(() => new Map(units.value.map((u) => [u.id, u.name])))
  const unitName = (id: number | null | undefined) => (id == null ? '' : (names.value.get(id) ?? ''))
  const can = (role: Role) => !!session.value?.roles.includes(role)

  async function use(next: Promise<AppStatus>) {
    status.value = await next
    units.value = isOpen.value ? await api.listUnits() : []
  }

  async function created(next: Promise<Created>) {
    const c = await next
    recoveryKey.value = c.recoveryKey
    await use(Promise.resolve(c.status))
  }

  return {
    status,
    units,
    notice,
    lockedUser,
    recoveryKey,
    tree,
    opened,
    isOpen,
    session,
    thisYear,
    unitName,
    can,
    refresh: () => use(api.appStatus()),
    reloadUnits: async () => (units.value = await api.listUnits()),
    create: (path: string, password: string) => created(api.createArchive(path, password)),
    encrypt: (path: string, password: string) => created(api.encryptArchive(path, password)),
    createDemo: (password: string) => created(api.createDemo(password)),
    select: (path: string) => use(api.selectArchive(path)),
    selectDemo: () => use(api.selectDemo()),
    login: async (user: string, password: string) => {
      await use(api.login(user, password))
      notice.value = ''
      lockedUser.value = null
    },
    loginRecovery: async (key: string) => {
      await use(api.loginRecovery(key))
      notice.value = ''
    },
    lock: async (why: string, logout = false) => {
      notice.value = why
      const s = session.value
      lockedUser.value = !logout && s ? { user: s.user, displayName: s.displayName } : null
      await use(api.lockArchive(logout))
    },
    /** The core locked the window by itself (idle): the same lock screen. */
    lockedByCore: async () => {
      const s = session.value
      if (s) lockedUser.value = { user: s.user, displayName: s.displayName }
      await use(api.appStatus())
    },
    /** Leave the lock screen for the full sign-in page (another user). */
    otherUser: () => (lockedUser.value = null),
    close: () => {
      lockedUser.value = null
      return use(api.closeArchive())
    },
  }
})
