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

  it('shows what each change did: values, commits as short shas, long texts cut with a show toggle', async () => {
    const long = 'n'.repeat(200)
    const changed: HistoryEntry[] = [
      { version: 1, at: '2026-11-24T10:00:00Z', actor: 'alice', action: 'repo-updated', detail: 'api: depends on auth, db',
        changes: [{ field: 'dependsOn', before: 'auth', after: 'auth, db' }, { field: 'excluded', before: 'false', after: 'true' }] },
      { version: 2, at: '2026-11-24T10:01:00Z', actor: 'system', action: 'refreshed', detail: 'approvals dismissed',
        changes: [{ field: 'auth head', before: 'a'.repeat(40), after: 'b'.repeat(40) }] },
      { version: 3, at: '2026-11-24T10:02:00Z', actor: 'alice', action: 'text-edited', detail: 'edited notes',
        changes: [{ field: 'notes', before: '', after: long }] },
      { version: 4, at: '2026-11-24T10:03:00Z', actor: 'dana', action: 'approved-dev', detail: 'Dev approval given', changes: [] },
    ]
    const wrapper = mount(HistoryTimeline, { props: { entries: changed } })
    const entry = (version: number) => wrapper.findAll('[data-test=history-entry]')[4 - version]!
    const lines = (version: number) => entry(version).findAll('[data-test=history-change]').map((li) => li.text().replace(/\s+/g, ' '))

    expect(lines(1)).toEqual(['dependsOn: auth → auth, db', 'excluded: false → true'])
    expect(lines(2)).toEqual(['auth head: aaaaaaa → bbbbbbb'])
    expect(lines(3)[0]).toContain('notes: none → ' + 'n'.repeat(80) + '…')
    expect(lines(3)[0]).not.toContain(long)
    expect(entry(4).find('[data-test=history-changes]').exists()).toBe(false)

    await entry(3).find('[data-test=history-change-toggle]').trigger('click')
    expect(lines(3)[0]).toContain(long)
    expect(entry(3).find('[data-test=history-change-toggle]').text()).toBe('hide')
  })
})
