import { computed, reactive, ref, type ComputedRef, type Ref } from 'vue'
import { describeError, isAborted, isSignedOut } from '../api/http'

// "Run an action, show busy and its error", for the buttons that change a release:
//
//   const { run: refresh, busy: refreshing, error: refreshError } = useAction(async () => ...)
//
// A run clears the error, sets busy, and on failure keeps a described error to show next to
// what caused it. A 401 is not shown (http.ts already sends the browser to sign in), nor is an
// abort. Runs are told apart by an optional key (one per table row, one per button): a run
// whose key is still busy is ignored, runs with other keys go side by side, and each key has
// its own error in `errors`.

export interface UseActionOptions<A extends unknown[], E> {
  /** Which runs share busy and error; one key for all runs by default. */
  key?: (...args: A) => string
  /** What to show for a failure: describeError by default. */
  describe?: (error: unknown) => E
}

export interface Action<A extends unknown[], E> {
  /** Runs the action unless a run with the same key is busy. True when it succeeded. */
  run: (...args: A) => Promise<boolean>
  /** Some run is in progress. */
  busy: ComputedRef<boolean>
  /** The described failure of the last run; cleared when a run starts, writable to clear it. */
  error: Ref<E | null>
  /** The keys with a run in progress. */
  pending: Record<string, true>
  /** The described failure of the last run of each key, until that key runs again. */
  errors: Record<string, E>
}

export function useAction<A extends unknown[], E = string>(
  action: (...args: A) => Promise<unknown>,
  options: UseActionOptions<A, E> = {},
): Action<A, E> {
  const keyOf = options.key ?? (() => '')
  const describe = options.describe ?? ((error: unknown) => describeError(error) as E)
  const pending = reactive<Record<string, true>>({})
  const errors = reactive<Record<string, E>>({}) as Record<string, E>
  const error = ref<E | null>(null) as Ref<E | null>
  const busy = computed(() => Object.keys(pending).length > 0)

  async function run(...args: A): Promise<boolean> {
    const key = keyOf(...args)
    if (pending[key]) return false
    pending[key] = true
    delete errors[key]
    error.value = null
    try {
      await action(...args)
      return true
    } catch (failure) {
      if (!isSignedOut(failure) && !isAborted(failure)) {
        const shown = describe(failure)
        errors[key] = shown
        error.value = shown
      }
      return false
    } finally {
      delete pending[key]
    }
  }

  return { run, busy, error, pending, errors }
}
