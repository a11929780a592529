import { describe, expect, it, vi } from 'vitest'
import type { JobStatus } from '../../api/types'

const listeners = new Map<number, (s: JobStatus) => void>()
let reject: ((e: unknown) => void) | null = null
const api = {
  onJobProgress: vi.fn(async (id: number, handler: (s: JobStatus) => void) => {
    listeners.set(id, handler)
    return () => listeners.delete(id)
  }),
  // The core answers a cancel by ending the job with code `cancelled`.
  cancelJob: vi.fn(async () => {
    reject?.({ code: 'cancelled', message: '已取消：写入已停止，未做任何改动', field: null, missing: [] })
    return true
  }),
}
vi.mock('../../api', () => ({ api, asError: (e: unknown) => e }))

const { useJob, wasCancelled } = await import('../job')

describe('useJob', () => {
  it('follows its own progress events and cancels its own job', async () => {
    const job = useJob()
    let seen = 0
    const result = job.run(
      (id) =>
        new Promise<string>((_, no) => {
          seen = id
          reject = no
        }),
    )
    await vi.waitFor(() => expect(seen).not.toBe(0))
    expect(job.state.running).toBe(true)
    listeners.get(seen)?.({ phase: '写入', done: 5, total: 20, counting: '人' })
    listeners.get(seen + 1)?.({ phase: '别的任务', done: 1, total: 1, counting: '' })
    expect([job.state.phase, job.state.done, job.state.total, job.state.counting]).toEqual(['写入', 5, 20, '人'])

    const cancelled = job.cancel()
    expect(job.state.cancelling).toBe(true)
    await expect(result).rejects.toSatisfy(wasCancelled)
    await cancelled
    expect(api.cancelJob).toHaveBeenCalledWith(seen)
    expect(job.state.running).toBe(false)
    expect(listeners.has(seen)).toBe(false)
  })
})
