// Pure helpers shared by the forms (tested in __tests__).
import type { ErrorDto } from '../api'

export function today(): string {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Element Plus form rule: required text with a Chinese message. */
export function required(label: string) {
  return { required: true, whitespace: true, message: `请填写${label}`, trigger: 'blur' }
}

/** Optional `YYYY-MM` text (birth, party membership, work start). */
export function yearMonth(label: string) {
  return { pattern: /^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, message: `${label}应写作 1978-05`, trigger: 'blur' }
}

/** A rule checking that `later()` is not before `earlier()` (ISO date strings compare as dates). */
export function notBefore(earlier: () => string | null | undefined, message: string) {
  return {
    trigger: 'change',
    validator: (_rule: unknown, value: string | null | undefined, callback: (e?: Error) => void) => {
      const e = earlier()
      if (value && e && value < e) callback(new Error(message))
      else callback()
    },
  }
}

/** A 1–5 rating check. */
export function inRange(label: string, min: number, max: number) {
  return {
    trigger: 'change',
    validator: (_rule: unknown, value: number, callback: (e?: Error) => void) => {
      if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max)
        callback(new Error(`${label}应在 ${min} 到 ${max} 之间`))
      else callback()
    },
  }
}

/** The text to show for a failed call: the message, plus each missing precondition. */
export function describeError(e: ErrorDto): string {
  if (e.code === 'transition_blocked' && e.missing.length > 0) {
    return `${e.message.split('：')[0]}：\n` + e.missing.map((m) => `• ${m}`).join('\n')
  }
  return e.message
}

/** File → base64 (without the data: prefix). */
export function toBase64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes)
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < view.length; i += chunk) {
    binary += String.fromCharCode(...view.subarray(i, i + chunk))
  }
  return btoa(binary)
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const out = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Build a unit tree for el-tree / el-tree-select from the flat list. */
export interface UnitNode {
  id: number
  label: string
  kind: string
  children: UnitNode[]
}
export function unitTree(units: { id: number; parentId: number | null; name: string; kind: string }[]): UnitNode[] {
  const nodes = new Map<number, UnitNode>()
  for (const u of units) nodes.set(u.id, { id: u.id, label: u.name, kind: u.kind, children: [] })
  const roots: UnitNode[] = []
  for (const u of units) {
    const node = nodes.get(u.id)
    if (!node) continue
    const parent = u.parentId === null ? undefined : nodes.get(u.parentId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Trees up to this many units open fully; larger ones (a province) open their top level. */
export const OPEN_ALL_UNITS = 100

/**
 * The units a tree shows opened at first: all of a small tree; of a large one
 * only the top level (a province shows its cities), so the window does not
 * lay out hundreds of rows nobody asked for.
 */
export function openUnits(tree: UnitNode[], limit = OPEN_ALL_UNITS): number[] {
  const all: number[] = []
  const top: number[] = []
  let count = 0
  const walk = (nodes: UnitNode[], depth: number) => {
    for (const n of nodes) {
      count++
      if (n.children.length === 0) continue
      all.push(n.id)
      if (depth === 0) top.push(n.id)
      walk(n.children, depth + 1)
    }
  }
  walk(tree, 0)
  return count <= limit ? all : top
}
