import { reactive } from 'vue'
import { api, asError } from '../api'

let counter = 0
/** Ids the window gives its jobs: unique within this window's life. */
export function newJobId(): number {
  counter += 1
  return Date.now() * 1000 + (counter % 1000)
}

export interface JobState {
  running: boolean
  phase: string
  done: number
  total: number
  /** What the steps count (名干部, 个干事事项 …); empty for plain steps. */
  counting: string
  cancelling: boolean
}

/**
 * A long operation run in the core as a job: its progress follows the core's
 * `job-progress` events, and `cancel()` asks the core to stop (it then undoes
 * what it began and the call rejects with code `cancelled`).
 */
export function useJob() {
  const state = reactive<JobState>({ running: false, phase: '', done: 0, total: 0, counting: '', cancelling: false })
  let current = 0
  let settled: Promise<void> = Promise.resolve()

  function run<R>(task: (job: number) => Promise<R>): Promise<R> {
    const run = (async () => {
      current = newJobId()
      Object.assign(state, { running: true, phase: '准备中', done: 0, total: 0, counting: '', cancelling: false })
      const stop = await api.onJobProgress(current, (s) => Object.assign(state, { phase: s.phase, done: s.done, total: s.total, counting: s.counting }))
      try {
        return await task(current)
      } finally {
        stop()
        state.running = false
      }
    })()
    settled = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  /** Ask the core to stop, and wait until the job has really ended (the archive is free again). */
  async function cancel() {
    if (!state.running) return
    state.cancelling = true
    await api.cancelJob(current)
    await settled
  }

  return { state, run, cancel }
}

/** Whether a failed call was a cancellation (shown as information, not as an error). */
export const wasCancelled = (e: unknown) => asError(e).code === 'cancelled'
