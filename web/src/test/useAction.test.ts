import { describe, expect, it } from 'vitest'
import { ApiProblem } from '../api/http'
import { useAction } from '../composables/useAction'

function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useAction', () => {
  it('is busy while the action runs, and says whether it succeeded', async () => {
    const done = deferred()
    const action = useAction(() => done.promise)
    expect(action.busy.value).toBe(false)
    const running = action.run()
    expect(action.busy.value).toBe(true)
    done.resolve()
    expect(await running).toBe(true)
    expect(action.busy.value).toBe(false)
    expect(action.error.value).toBeNull()
  })

  it('keeps the described failure, and clears it when the next run starts', async () => {
    let attempt = 0
    const second = deferred()
    const action = useAction(() =>
      ++attempt === 1 ? Promise.reject(new ApiProblem(409, 'Not allowed', 'A deployed release is frozen.')) : second.promise,
    )
    expect(await action.run()).toBe(false)
    expect(action.error.value).toBe('A deployed release is frozen.')
    expect(action.busy.value).toBe(false)

    const again = action.run()
    expect(action.error.value).toBeNull()
    second.resolve()
    expect(await again).toBe(true)
    expect(action.error.value).toBeNull()
  })

  it('ignores a run while the same one is busy', async () => {
    const done = deferred()
    let calls = 0
    const action = useAction(() => (calls++, done.promise))
    const first = action.run()
    expect(await action.run()).toBe(false)
    done.resolve()
    await first
    expect(calls).toBe(1)
  })

  it('shows no error for a 401, which http.ts turns into the sign-in redirect', async () => {
    const action = useAction(() => Promise.reject(new ApiProblem(401, 'Not signed in', 'Your session has ended.')))
    expect(await action.run()).toBe(false)
    expect(action.error.value).toBeNull()
    expect(action.errors).toEqual({})
  })

  it('runs different keys side by side, each with its own busy and error', async () => {
    const gates: Record<string, ReturnType<typeof deferred<void>>> = { a: deferred(), b: deferred() }
    const action = useAction((name: string) => gates[name]!.promise, { key: (name) => name })
    const a = action.run('a')
    const b = action.run('b')
    expect(action.pending).toEqual({ a: true, b: true })
    gates.a!.reject(new Error('a failed'))
    await a
    expect(action.pending).toEqual({ b: true })
    expect(action.errors).toEqual({ a: 'a failed' })
    expect(action.busy.value).toBe(true)
    gates.b!.resolve()
    await b
    expect(action.busy.value).toBe(false)
    expect(action.errors).toEqual({ a: 'a failed' }) // b's success leaves a's error

    gates.a = deferred()
    const retry = action.run('a')
    expect(action.errors).toEqual({})
    gates.a.resolve()
    await retry
  })

  it('describes a failure as asked', async () => {
    const action = useAction(() => Promise.reject(new ApiProblem(400, 'Invalid request', 'Branches must differ.')), {
      describe: (error) => ({ what: (error as ApiProblem).title }),
    })
    await action.run()
    expect(action.error.value).toEqual({ what: 'Invalid request' })
  })
})
