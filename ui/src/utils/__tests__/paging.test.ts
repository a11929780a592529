import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { CLIENT_PAGE, usePaged } from '../paging'

describe('usePaged', () => {
  it('shows one page and starts again at the first when the list changes', async () => {
    const list = ref(Array.from({ length: 250 }, (_, i) => i))
    const { page, rows, total } = usePaged(() => list.value)
    expect(total.value).toBe(250)
    expect(rows.value).toHaveLength(CLIENT_PAGE)
    page.value = 3
    expect(rows.value).toEqual([200, 201, ...Array.from({ length: 48 }, (_, i) => 202 + i)])
    list.value = [7, 8]
    await nextTick()
    expect(page.value).toBe(1)
    expect(rows.value).toEqual([7, 8])
  })
})
