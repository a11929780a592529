import { describe, expect, it } from 'vitest'
import { describeError, formatSize, fromBase64, notBefore, inRange, toBase64, unitTree, openUnits } from '../form'

function check(rule: { validator: (r: unknown, v: never, cb: (e?: Error) => void) => void }, value: unknown) {
  let error: Error | undefined
  rule.validator({}, value as never, (e) => (error = e))
  return error?.message
}

describe('form helpers', () => {
  it('orders dates as the core does', () => {
    const rule = notBefore(() => '2024-03-01', '不能早于开始日期')
    expect(check(rule, '2024-02-29')).toBe('不能早于开始日期')
    expect(check(rule, '2024-03-01')).toBeUndefined()
    expect(check(rule, null)).toBeUndefined()
  })

  it('bounds ratings', () => {
    const rule = inRange('创新性', 1, 5)
    expect(check(rule, 6)).toContain('1 到 5')
    expect(check(rule, 0)).toContain('1 到 5')
    expect(check(rule, 3)).toBeUndefined()
  })

  it('lists every missing precondition of a blocked transition', () => {
    const text = describeError({
      code: 'transition_blocked',
      message: '不能从「谋事」推进到「干事」：缺少时间节点；缺少评价',
      field: null,
      missing: ['缺少时间节点', '缺少评价'],
    })
    expect(text).toContain('• 缺少时间节点')
    expect(text).toContain('• 缺少评价')
  })

  it('round-trips bytes through base64', () => {
    const bytes = new Uint8Array([0, 255, 137, 80, 78, 71])
    expect(Array.from(fromBase64(toBase64(bytes.buffer)))).toEqual(Array.from(bytes))
  })

  it('builds a unit tree whatever the order of the list', () => {
    const tree = unitTree([
      { id: 2, parentId: 1, name: '丰河县', kind: '县(市、区)' },
      { id: 1, parentId: null, name: '燕州市', kind: '市' },
      { id: 3, parentId: 2, name: '城关镇', kind: '乡镇(街道)' },
    ])
    expect(tree).toHaveLength(1)
    expect(tree[0]?.children[0]?.children[0]?.label).toBe('城关镇')
  })

  it('opens a small unit tree fully and only the top level of a large one', () => {
    // A province: one root, 3 cities, each with 40 counties, each with one town.
    const units = [{ id: 1, parentId: null as number | null, name: '燕山省', kind: '省' }]
    let next = 2
    for (let c = 0; c < 3; c++) {
      const city = next++
      units.push({ id: city, parentId: 1, name: `市${c}`, kind: '市' })
      for (let k = 0; k < 40; k++) {
        const county = next++
        units.push({ id: county, parentId: city, name: `县${c}-${k}`, kind: '县(市、区)' })
        units.push({ id: next++, parentId: county, name: `镇${c}-${k}`, kind: '乡镇(街道)' })
      }
    }
    const tree = unitTree(units)
    expect(openUnits(tree)).toEqual([1])
    // The same tree under a higher limit opens every unit that has children (leaves need no opening).
    const all = openUnits(tree, 1000)
    expect(all).toHaveLength(1 + 3 + 120)
    expect(all).toContain(2)
    expect(openUnits(unitTree(units.slice(0, 3)))).toEqual([1, 2])
  })

  it('formats sizes', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(2048)).toBe('2.0 KB')
  })
})
