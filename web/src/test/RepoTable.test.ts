import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import RepoTable from '../components/RepoTable.vue'
import type { Release } from '../api/types'
import { release, repo } from './fixtures'
import { fakeLayout, manyRepos } from './bigRelease'

const api = vi.hoisted(() => ({ updateRepo: vi.fn() }))
vi.mock('../api/releases', () => api)

function make(r: Release) {
  return mount(RepoTable, { props: { release: r, frozen: false }, attachTo: document.body })
}

const names = (wrapper: VueWrapper) => wrapper.findAll('[data-test=repo-row] .repo-name').map((name) => name.text())

beforeEach(() => {
  api.updateRepo.mockReset()
  fakeLayout()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('repo table over thousands of repos', () => {
  it('renders only the rows on screen, and more as it scrolls', async () => {
    const wrapper = make(release({ repos: manyRepos(3000) }))
    await flushPromises()
    const first = names(wrapper)
    expect(first.length).toBeGreaterThan(5)
    expect(first.length).toBeLessThan(60)
    expect(first[0]).toBe('svc-0001')
    expect(wrapper.findAll('tr').length).toBeLessThan(70)

    const box = wrapper.find('[data-test=repo-scroll]').element as HTMLElement
    box.scrollTop = 58 * 1500
    box.dispatchEvent(new Event('scroll'))
    await flushPromises()
    await nextTick()
    const later = names(wrapper)
    expect(later.length).toBeLessThan(60)
    expect(later).toContain('svc-1501')
    expect(later).not.toContain('svc-0001')
  })

  it('a small release is a plain table without filters, as before', () => {
    const wrapper = make(release())
    expect(names(wrapper)).toEqual(['auth-service', 'api-gateway', 'user-service'])
    expect(wrapper.find('[data-test=repo-filters]').exists()).toBe(false)
    expect(wrapper.find('[data-test=repo-scroll]').classes()).not.toContain('virtual')
  })

  it('filters by name', async () => {
    const wrapper = make(release({ repos: manyRepos(3000) }))
    await wrapper.find('[data-test=repo-filter]').setValue('SVC-012')
    await flushPromises()
    expect(names(wrapper)).toEqual(Array.from({ length: 10 }, (_, i) => `svc-012${i}`))
    expect(wrapper.find('[data-test=repo-shown]').text()).toBe('10 of 3000 shown')

    await wrapper.find('[data-test=repo-filter]').setValue('nothing-like-this')
    expect(names(wrapper)).toEqual([])
    expect(wrapper.find('[data-test=no-match]').exists()).toBe(true)
  })

  it('filters by state: changed, excluded, and stale once the API sends it', async () => {
    const repos = manyRepos(3000, (i) => ({
      excluded: i % 1000 === 7,
      commitCount: i < 2990 ? 2 : 0,
      ...({ stale: i === 42 } as object),
    }))
    const wrapper = make(release({ repos }))
    expect(wrapper.find('[data-test=repo-state-excluded]').text()).toContain('3')
    expect(wrapper.find('[data-test=repo-state-failing]').text()).toContain('0') // checks are sent: none fail

    await wrapper.find('[data-test=repo-state-excluded]').trigger('click')
    await flushPromises()
    expect(names(wrapper)).toEqual(['svc-0008', 'svc-1008', 'svc-2008'])
    expect(wrapper.find('[data-test=repo-state-excluded]').attributes('aria-pressed')).toBe('true')

    await wrapper.find('[data-test=repo-state-stale]').trigger('click')
    await flushPromises()
    expect(names(wrapper)).toEqual(['svc-0043'])

    await wrapper.find('[data-test=repo-state-changed]').trigger('click')
    await wrapper.find('[data-test=repo-filter]').setValue('svc-299')
    await flushPromises()
    expect(names(wrapper)).toEqual(['svc-2990']) // svc-2991… have no commits
    await wrapper.find('[data-test=repo-state-all]').trigger('click')
    await flushPromises()
    expect(names(wrapper)).toHaveLength(10)
  })

  it('an exclude tick shows on its row at once, and the answer is passed up', async () => {
    const repos = manyRepos(3000)
    let answer!: (value: Release) => void
    api.updateRepo.mockReturnValue(new Promise<Release>((resolve) => (answer = resolve)))
    const wrapper = make(release({ repos }))
    await wrapper.find('[data-test=repo-filter]').setValue('svc-0300')
    await flushPromises()

    await wrapper.find('[data-test=exclude]').setValue(true)
    expect(api.updateRepo).toHaveBeenCalledWith('r1', 'svc-0300', { excluded: true })
    expect(wrapper.find('[data-test=repo-row]').classes()).toContain('excluded') // before the answer
    expect(wrapper.find('[data-test=repo-row]').classes()).toContain('busy')

    const next = release({ version: 2, repos: repos.map((r) => (r.name === 'svc-0300' ? { ...r, excluded: true } : r)) })
    answer(next)
    await flushPromises()
    expect(wrapper.emitted('updated')).toEqual([[next]])
    await wrapper.setProps({ release: next })
    expect(wrapper.find('[data-test=repo-row]').classes()).toEqual(expect.arrayContaining(['excluded']))
    expect(wrapper.find('[data-test=repo-row]').classes()).not.toContain('busy')
  })

  it('a refused exclude puts the row back', async () => {
    api.updateRepo.mockRejectedValue(new Error('boom'))
    const wrapper = make(release({ repos: manyRepos(100) }))
    await wrapper.find('[data-test=repo-filter]').setValue('svc-0050')
    await wrapper.find('[data-test=exclude]').setValue(true)
    await flushPromises()
    expect(wrapper.find('[data-test=repo-row]').classes()).not.toContain('excluded')
    expect((wrapper.find('[data-test=exclude]').element as HTMLInputElement).checked).toBe(false)
    expect(wrapper.find('.row-error').text()).toContain('svc-0050')
  })
})

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
