import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue'

// One clock for every relative time on screen ("5 min ago"): it ticks once a minute while
// anything shows one, and again when the tab becomes visible.
const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | undefined

function tick() {
  now.value = Date.now()
}

function onVisible() {
  if (document.visibilityState === 'visible') tick()
}

export function useNow(): Ref<number> {
  if (getCurrentScope()) {
    if (users++ === 0) {
      tick()
      timer = setInterval(tick, 60_000)
      document.addEventListener('visibilitychange', onVisible)
    }
    onScopeDispose(() => {
      if (--users === 0) {
        clearInterval(timer)
        document.removeEventListener('visibilitychange', onVisible)
      }
    })
  }
  return now
}
