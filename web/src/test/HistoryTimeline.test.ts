import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import HistoryTimeline from '../components/HistoryTimeline.vue'
import type { HistoryEntry } from '../api/types'

const entries: HistoryEntry[] = Array.from({ length: 10 }, (_, i) => ({
  version: i + 1,
  at: `2026-11-24T10:${String(i).padStart(2, '0')}:00Z`,
  actor: i % 2 ? 'dana' : 'alice',
  action: i === 0 ? 'created' : 'repo-updated',
  detail: `change ${i + 1}`,
}))

describe('history timeline', () => {
  it('shows the newest changes first, the latest few until asked for all', async () => {
    const wrapper = mount(HistoryTimeline, { props: { entries, initial: 3 } })
    const versions = () => wrapper.findAll('[data-test=history-entry] .detail').map((detail) => detail.text())
    expect(versions()).toEqual(['change 10', 'change 9', 'change 8'])

    await wrapper.find('[data-test=history-toggle]').trigger('click')
    expect(versions()).toHaveLength(10)
    expect(versions().at(-1)).toBe('change 1')
    expect(wrapper.findAll('[data-test=history-entry]').at(-1)!.text()).toContain('Created by alice')
  })

  it('shows skeleton lines while loading and an error in place', () => {
    expect(mount(HistoryTimeline, { props: { entries: null } }).find('[data-test=history]').exists()).toBe(false)
    expect(mount(HistoryTimeline, { props: { entries: null, error: 'boom' } }).text()).toContain('boom')
  })
})
