import { ref } from 'vue'
import { api, type SiteStatus } from '../api'

/**
 * Which site keeps a record (数据交换, issue 19): a record's id carries the
 * 行政区划代码 of the site that created it (code × 2³²). A record another site
 * keeps is read-only here; the page names that site.
 */
const SPAN = 2 ** 32
const status = ref<SiteStatus | null>(null)

export async function loadSites(): Promise<void> {
  try {
    status.value = await api.siteStatus()
  } catch {
    status.value = null
  }
}

/** The name of the site that keeps record `id`, when it is not this one. */
export function keptElsewhere(id: number): string | null {
  const s = status.value
  if (!s?.card) return null
  const code = String(Math.floor(id / SPAN))
  if (code === s.card.code || code === '0') return null
  return s.partners.find((p) => p.code === code)?.name ?? `站点 ${code}`
}
