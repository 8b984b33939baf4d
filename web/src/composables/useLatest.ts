import { getCurrentScope, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { isAborted, isSignedOut } from '../api/http'

// "Load the latest, drop stale answers": every load() aborts the one still in flight (its
// AbortSignal goes down to fetch), and only the answer of the newest load is ever applied.
// A 401 is not an error here: http.ts already sends the browser to the sign-in page.
//
//   const release = useLatest((signal) => getRelease(props.id, signal))
//   watch(() => props.id, () => release.load(), { immediate: true })

export interface UseLatestOptions<T> {
  /** The answer of the newest load (never a stale or aborted one). */
  onData?: (value: T) => void
  /** The failure of the newest load (never an abort, never a 401). */
  onError?: (error: unknown) => void
  /** What `loading` is before the first load: true for a page that loads as soon as it shows. */
  initialLoading?: boolean
}

export interface Latest<T, A extends unknown[]> {
  /** The answer of the newest load that succeeded; kept while the next one loads. */
  data: ShallowRef<T | undefined>
  /** The failure of the newest load; cleared when a load starts. */
  error: ShallowRef<unknown>
  /** A load is in flight. */
  loading: Ref<boolean>
  /** Starts a load, aborting the one in flight. Resolves once it settled: true when its answer was applied. */
  load: (...args: A) => Promise<boolean>
  /** Loads again with the arguments of the last load. */
  reload: () => Promise<boolean>
  /** Gives up the load in flight, if any: its answer will not be applied. */
  abort: () => void
}

export function useLatest<T, A extends unknown[] = []>(
  loader: (signal: AbortSignal, ...args: A) => Promise<T>,
  options: UseLatestOptions<T> = {},
): Latest<T, A> {
  const data = shallowRef<T | undefined>(undefined)
  const error = shallowRef<unknown>(null)
  const loading = ref(options.initialLoading ?? false)
  let current: AbortController | null = null
  let lastArgs: A | null = null

  function abort() {
    if (!current) return
    current.abort()
    current = null
    loading.value = false
  }

  async function load(...args: A): Promise<boolean> {
    current?.abort()
    const controller = new AbortController()
    current = controller
    lastArgs = args
    loading.value = true
    error.value = null
    try {
      const value = await loader(controller.signal, ...args)
      if (current !== controller) return false
      data.value = value
      options.onData?.(value)
      return true
    } catch (failure) {
      if (current !== controller || isAborted(failure)) return false
      if (!isSignedOut(failure)) {
        error.value = failure
        options.onError?.(failure)
      }
      return false
    } finally {
      if (current === controller) {
        current = null
        loading.value = false
      }
    }
  }

  const reload = () => load(...(lastArgs ?? ([] as unknown as A)))

  // Inside a component: nothing in flight outlives it.
  if (getCurrentScope()) onScopeDispose(abort)

  return { data, error, loading, load, reload, abort }
}
