import { describe, expect, it } from 'vitest'
import type { Explanation } from '../../api'
import { allSources, formatScore, toTree } from '../score'

const leaf = (label: string, value: number | null, kind: string, id: number): Explanation => ({
  label, value, rule: '规则', sources: [{ kind, id }], children: [],
})

describe('score helpers', () => {
  it('shows unassessed values as 未评, never as zero', () => {
    expect(formatScore(null)).toBe('未评')
    expect(formatScore(0)).toBe('0.00')
    expect(formatScore(83.333)).toBe('83.33')
  })

  it('turns an explanation into a keyed tree that keeps every source', () => {
    const e: Explanation = {
      label: '综合得分', value: 80, rule: '加权平均', sources: [],
      children: [leaf('谋事', 90, 'plan_rating', 3), leaf('测评', null, 'evaluation', 7)],
    }
    const tree = toTree(e)
    expect(tree.children.map((c) => c.key)).toEqual(['0.0', '0.1'])
    expect(tree.children[1]?.value).toBe('未评')
    expect(allSources(e)).toEqual(['谋事评价 #3', '测评 #7'])
  })
})

describe('grade and year helpers', () => {
  it('maps grades to tag types and anything else to info', async () => {
    const { gradeType } = await import('../score')
    expect(gradeType('优秀')).toBe('success')
    expect(gradeType('不称职')).toBe('danger')
    expect(gradeType('不确定等次')).toBe('info')
  })

  it('lists recent years newest first', async () => {
    const { recentYears } = await import('../score')
    expect(recentYears(2026, 3)).toEqual([2026, 2025, 2024])
  })
})
