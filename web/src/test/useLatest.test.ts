import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { ApiProblem, browser, resetSignInForTests } from '../api/http'
import { getRelease } from '../api/releases'
import { useLatest } from '../composables/useLatest'
import { release } from './fixtures'

/** A promise settled from outside, to answer requests in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useLatest', () => {
  it('drops the answer of a load that a newer one replaced, even when it comes last', async () => {
    const answers = [deferred<string>(), deferred<string>()]
    const onData = vi.fn()
    let call = 0
    const latest = useLatest(() => answers[call++]!.promise, { onData })

    const first = latest.load()
    const second = latest.load()
    answers[1]!.resolve('new')
    expect(await second).toBe(true)
    answers[0]!.resolve('old')
    expect(await first).toBe(false)

    expect(latest.data.value).toBe('new')
    expect(onData.mock.calls).toEqual([['new']])
    expect(latest.loading.value).toBe(false)
  })

  it('keeps loading until the newest load settles', async () => {
    const answers = [deferred<string>(), deferred<string>()]
    let call = 0
    const latest = useLatest(() => answers[call++]!.promise)
    const first = latest.load()
    const second = latest.load()
    answers[0]!.resolve('old')
    await first
    expect(latest.loading.value).toBe(true)
    answers[1]!.resolve('new')
    await second
    expect(latest.loading.value).toBe(false)
  })

  it('passes an AbortSignal down and aborts it when a newer load starts', async () => {
    const signals: AbortSignal[] = []
    const latest = useLatest((signal, id: string) => {
      signals.push(signal)
      return new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        if (id === 'b') resolve(id)
      })
    })
    const first = latest.load('a')
    const second = latest.load('b')
    expect(signals[0]!.aborted).toBe(true)
    expect(signals[1]!.aborted).toBe(false)
    expect(await first).toBe(false)
    expect(await second).toBe(true)
    expect(latest.error.value).toBeNull() // an abort is no failure
    expect(latest.data.value).toBe('b')
  })

  it('never applies a failure of a stale load, and reports the newest one', async () => {
    const answers = [deferred<string>(), deferred<string>(), deferred<string>()]
    const onError = vi.fn()
    let call = 0
    const latest = useLatest(() => answers[call++]!.promise, { onError })
    const first = latest.load()
    const second = latest.load()
    answers[0]!.reject(new Error('stale'))
    await first
    expect(latest.error.value).toBeNull()
    answers[1]!.reject(new Error('newest'))
    await second
    expect((latest.error.value as Error).message).toBe('newest')
    expect(onError).toHaveBeenCalledTimes(1)

    const third = latest.load()
    expect(latest.error.value).toBeNull() // cleared when a load starts
    answers[2]!.resolve('ok')
    await third
  })

  it('reloads with the arguments of the last load', async () => {
    const loader = vi.fn((_signal: AbortSignal, id: string) => Promise.resolve(id.toUpperCase()))
    const latest = useLatest(loader)
    await latest.load('r1')
    await latest.reload()
    expect(loader.mock.calls.map((args) => args[1])).toEqual(['r1', 'r1'])
    expect(latest.data.value).toBe('R1')
  })

  it('aborts the load in flight when its component (scope) goes away', async () => {
    let seen: AbortSignal | undefined
    const answer = deferred<string>()
    const onData = vi.fn()
    const scope = effectScope()
    const latest = scope.run(() =>
      useLatest((signal) => {
        seen = signal
        return answer.promise
      }, { onData }),
    )!
    const pending = latest.load()
    scope.stop()
    expect(seen!.aborted).toBe(true)
    answer.resolve('late')
    expect(await pending).toBe(false)
    expect(onData).not.toHaveBeenCalled()
  })

  it('starts as loading when asked to', () => {
    expect(useLatest(() => Promise.resolve(1), { initialLoading: true }).loading.value).toBe(true)
    expect(useLatest(() => Promise.resolve(1)).loading.value).toBe(false)
  })
})

describe('useLatest over the API client', () => {
  const fetchMock = vi.fn<typeof fetch>()

  beforeEach(() => {
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    resetSignInForTests()
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('hands its signal to fetch, which the next load aborts', async () => {
    fetchMock.mockImplementation(
      (_url, init) =>
        new Promise<Response>((resolve, reject) => {
          const signal = init!.signal!
          signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')))
          if (fetchMock.mock.calls.length > 1) {
            resolve(new Response(JSON.stringify(release({ id: 'r2' })), { status: 200, headers: { 'Content-Type': 'application/json' } }))
          }
        }),
    )
    const latest = useLatest((signal, id: string) => getRelease(id, signal))
    const first = latest.load('r1')
    const second = latest.load('r2')
    const firstSignal = fetchMock.mock.calls[0]![1]!.signal!
    expect(firstSignal.aborted).toBe(true)
    expect(await first).toBe(false)
    expect(await second).toBe(true)
    expect(latest.data.value?.id).toBe('r2')
    expect(latest.error.value).toBeNull()
  })

  it('shows no error for a 401: the browser is on its way to sign in', async () => {
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {})
    vi.spyOn(browser, 'currentPath').mockReturnValue('/releases/r1')
    fetchMock.mockResolvedValue(new Response('', { status: 401 }))
    const onError = vi.fn()
    const latest = useLatest((signal) => getRelease('r1', signal), { onError })
    expect(await latest.load()).toBe(false)
    expect(latest.error.value).toBeNull()
    expect(onError).not.toHaveBeenCalled()
    expect(navigate).toHaveBeenCalledTimes(1)
  })

  it('treats an ApiProblem like any other failure', async () => {
    const latest = useLatest(() => Promise.reject(new ApiProblem(404, 'Not found', 'No such release.')))
    await latest.load()
    expect(latest.error.value).toMatchObject({ status: 404 })
  })
})
