import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { FreezeStatus } from '../api/types'

const getFreeze = vi.fn<() => Promise<FreezeStatus>>()
vi.mock('../api/freeze', () => ({ getFreeze: () => getFreeze() }))
vi.mock('vue-router', () => ({ useRouter: () => ({ afterEach: (hook: () => void) => navigations.push(hook) }) }))

const navigations: Array<() => void> = []

import FreezeBanner from '../components/FreezeBanner.vue'
import { FREEZE_POLL_MS, resetFreezeForTests } from '../composables/useFreeze'
import { connect, resetHubForTests } from '../composables/useReleaseHub'
import { FakeHub } from './fakeHub'

const open: FreezeStatus = { frozen: false, reason: null, by: null, since: null, until: null, windows: [] }
const frozen: FreezeStatus = {
  frozen: true,
  reason: 'incident 42',
  by: 'ada',
  since: '2026-11-24T10:00:00Z',
  until: '2026-11-24T18:00:00Z',
  windows: [],
}

let hub: FakeHub

beforeEach(() => {
  vi.useFakeTimers()
  hub = new FakeHub()
  resetHubForTests(hub.bind())
  resetFreezeForTests()
  getFreeze.mockReset()
  navigations.length = 0
})

afterEach(() => {
  resetFreezeForTests()
  vi.useRealTimers()
})

describe('freeze banner', () => {
  it('shows nothing while deploys are open, and the reason and end once frozen', async () => {
    getFreeze.mockResolvedValue(open)
    const wrapper = mount(FreezeBanner)
    await flushPromises()
    expect(wrapper.find('[data-test=freeze-banner]').exists()).toBe(false)

    getFreeze.mockResolvedValue(frozen)
    navigations.forEach((hook) => hook()) // the user moves to another page
    await flushPromises()
    expect(wrapper.find('[data-test=freeze-reason]').text()).toBe('incident 42')
    expect(wrapper.find('[data-test=freeze-until]').text()).toContain('until')
    expect(wrapper.text()).toContain('by ada')
  })

  it('asks again every minute (a window may begin) and hears the switch over the hub', async () => {
    getFreeze.mockResolvedValue(open)
    const wrapper = mount(FreezeBanner)
    await flushPromises()
    expect(getFreeze).toHaveBeenCalledTimes(1)

    getFreeze.mockResolvedValue({ ...frozen, by: null, reason: 'weekend freeze' })
    await vi.advanceTimersByTimeAsync(FREEZE_POLL_MS)
    await flushPromises()
    expect(getFreeze).toHaveBeenCalledTimes(2)
    expect(wrapper.find('[data-test=freeze-reason]').text()).toBe('weekend freeze')

    await connect()
    hub.send('freezeChanged', open)
    await flushPromises()
    expect(wrapper.find('[data-test=freeze-banner]').exists()).toBe(false)
  })
})
