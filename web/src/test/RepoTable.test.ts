import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import RepoTable from '../components/RepoTable.vue'
import { release, repo } from './fixtures'

vi.mock('../api/releases', () => ({ updateRepo: vi.fn() }))

describe('repo table', () => {
  it('marks a repo the last comparison could not reach as stale, and only that one', () => {
    const wrapper = mount(RepoTable, {
      props: { release: release({ repos: [repo('auth-service', { stale: true }), repo('api-gateway')] }), frozen: false },
    })
    const rows = wrapper.findAll('[data-test=repo-row]')
    expect(rows[0]!.find('.repo-name').text()).toBe('auth-service')
    expect(rows[0]!.find('[data-test=stale]').text()).toBe('stale')
    expect(rows[1]!.find('[data-test=stale]').exists()).toBe(false)
  })
})
