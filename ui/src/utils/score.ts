import type { Explanation, Source } from '../api'

export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined ? '未评' : v.toFixed(2)
}

const KIND_LABELS: Record<string, string> = {
  plan_rating: '谋事评价', milestone: '时间节点', tracking: '跟踪考评', outcome: '成效', recognition: '认可',
  initiative: '干事事项', evaluation: '测评', protection: '保护决定', negative: '负面记录', report: '举报',
  clearing: '澄清正名', tolerance_case: '容错案例',
}

export function sourceLabel(s: Source): string {
  return `${KIND_LABELS[s.kind] ?? s.kind} #${s.id}`
}

/** Tree nodes for el-tree, with stable keys. */
export interface ExplainNode {
  key: string
  text: string
  value: string
  rule: string
  sources: string[]
  children: ExplainNode[]
}
export function toTree(e: Explanation, key = '0'): ExplainNode {
  return {
    key,
    text: e.label,
    value: formatScore(e.value),
    rule: e.rule,
    sources: e.sources.map(sourceLabel),
    children: e.children.map((c, i) => toTree(c, `${key}.${i}`)),
  }
}

/** Every source in a tree (deduplicated, in order of first appearance). */
export function allSources(e: Explanation): string[] {
  const out: string[] = []
  const walk = (n: Explanation) => {
    for (const s of n.sources) {
      const l = sourceLabel(s)
      if (!out.includes(l)) out.push(l)
    }
    n.children.forEach(walk)
  }
  walk(e)
  return out
}

/** Element Plus tag type for a grade. */
export function gradeType(grade: string): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  return ({ 优秀: 'success', 称职: 'primary', 基本称职: 'warning', 不称职: 'danger' } as const)[grade as '优秀'] ?? 'info'
}

/** `count` years ending at `last`, newest first (year selectors). */
export function recentYears(last: number, count = 6): number[] {
  return Array.from({ length: count }, (_, i) => last - i)
}
