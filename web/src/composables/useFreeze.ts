// The freeze everyone sees: GET /api/freeze on start, on every navigation, every minute (a window
// begins or ends without an event), and at once when the hub says the switch changed.
import { ref } from 'vue'
import type { Router } from 'vue-router'
import { getFreeze } from '../api/freeze'
import type { FreezeStatus } from '../api/types'
import { onHub } from './useReleaseHub'

export const FREEZE_POLL_MS = 60_000

const freeze = ref<FreezeStatus | null>(null)
let started = false
let timer: ReturnType<typeof setInterval> | undefined
let offHub: (() => void) | undefined

/** Reads the freeze again; a failure keeps what is shown (a 401 is handled by the request layer). */
export async function refreshFreeze(): Promise<void> {
  try {
    freeze.value = await getFreeze()
  } catch {
    // keep the last answer
  }
}

export function useFreeze(router?: Router) {
  if (!started) {
    started = true
    void refreshFreeze()
    timer = setInterval(() => void refreshFreeze(), FREEZE_POLL_MS)
    offHub = onHub('freezeChanged', (status) => {
      freeze.value = status
    })
    router?.afterEach(() => void refreshFreeze())
  }
  return { freeze, refresh: refreshFreeze }
}

/** Tests: forget the shared state. */
export function resetFreezeForTests() {
  clearInterval(timer)
  offHub?.()
  started = false
  freeze.value = null
}
