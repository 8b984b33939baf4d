import { ref } from 'vue'
import { getMe } from '../api/me'
import { isSignedOut } from '../api/http'
import type { Me } from '../api/types'

// The signed-in user, asked for once and shared by every page.
const me = ref<Me | null>(null)
const error = ref<unknown>(null)
let loading: Promise<Me | null> | null = null

export function loadMe(): Promise<Me | null> {
  loading ??= getMe().then(
    (value) => {
      me.value = value
      error.value = null
      return value
    },
    (failure: unknown) => {
      // A 401 is already on its way to the sign-in page (http.ts): nothing to show meanwhile.
      error.value = isSignedOut(failure) ? null : failure
      loading = null
      return null
    },
  )
  return loading
}

export function useMe() {
  void loadMe()
  return { me, error, reload: () => ((loading = null), loadMe()) }
}
