import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { connect, joinRelease, leaveRelease, onHub, resetHubForTests, useReleaseHub, watchProgress } from '../composables/useReleaseHub'
import { FakeHub } from './fakeHub'
import { release } from './fixtures'

let hub: FakeHub

beforeEach(() => {
  hub = new FakeHub()
  resetHubForTests(hub.bind())
})

describe('release hub', () => {
  it('joins a release group once however many views ask, and leaves with the last', async () => {
    await connect()
    joinRelease('r1')
    joinRelease('r1')
    leaveRelease('r1')
    await flushPromises()
    expect(hub.invoked).toEqual([['JoinRelease', 'r1']])
    leaveRelease('r1')
    await flushPromises()
    expect(hub.invoked).toEqual([['JoinRelease', 'r1'], ['LeaveRelease', 'r1']])
  })

  it('passes events on to listeners, and a removed listener hears nothing', async () => {
    const heard = vi.fn()
    const off = onHub('releaseChanged', heard)
    await connect()
    hub.send('releaseChanged', release({ version: 3 }))
    off()
    hub.send('releaseChanged', release({ version: 4 }))
    expect(heard).toHaveBeenCalledTimes(1)
    expect(heard.mock.calls[0]![0]).toMatchObject({ version: 3 })
  })

  it('shows Reconnecting while down, joins its groups again and says so when back', async () => {
    const { status, reconnecting } = useReleaseHub()
    const back = vi.fn()
    onHub('reconnected', back)
    joinRelease('r9')
    await flushPromises()
    expect(status.value).toBe('connected')

    hub.drop()
    expect(reconnecting.value).toBe(true)
    hub.invoked.length = 0
    await hub.comeBack()
    expect(status.value).toBe('connected')
    expect(reconnecting.value).toBe(false)
    expect(hub.invoked).toEqual([['JoinRelease', 'r9']])
    expect(back).toHaveBeenCalledTimes(1)
  })

  it('asks to watch a progress id', async () => {
    expect(await watchProgress('p-7')).toBe(true)
    expect(hub.invoked).toContainEqual(['WatchProgress', 'p-7'])
  })
})
