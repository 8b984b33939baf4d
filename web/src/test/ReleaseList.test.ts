import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import ReleaseList from '../views/ReleaseList.vue'
import { resetHubForTests } from '../composables/useReleaseHub'
import { FakeHub } from './fakeHub'
import { summary } from './fixtures'
import type { ReleasePage, ReleaseQuery } from '../api/types'

const listReleases = vi.fn<(query?: ReleaseQuery) => Promise<ReleasePage>>()
vi.mock('../api/releases', () => ({
  listReleases: (query?: ReleaseQuery) => listReleases(query),
  createRelease: vi.fn(),
}))

let hub: FakeHub
let router: Router

async function mountAt(path: string) {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/releases', name: 'releases', component: ReleaseList },
      { path: '/releases/:id', name: 'release', component: { template: '<p>detail</p>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(ReleaseList, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const lastQuery = () => listReleases.mock.calls.at(-1)?.[0]

beforeEach(() => {
  hub = new FakeHub()
  resetHubForTests(hub.bind())
  listReleases.mockReset()
  listReleases.mockResolvedValue({
    items: [
      summary({ id: 'a', sourceBranch: 'uat', destBranch: 'master', createdAt: '2026-11-24T12:00:00Z' }),
      summary({ id: 'b', sourceBranch: 'dev', destBranch: 'uat', createdAt: '2026-11-24T11:00:00Z' }),
    ],
    nextCursor: null,
  })
})

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('release list filters', () => {
  it('asks for the first page without filters', async () => {
    const wrapper = await mountAt('/releases')
    expect(listReleases).toHaveBeenCalledTimes(1)
    expect(lastQuery()).toEqual({ limit: 25 })
    expect(wrapper.findAll('[data-test=release-row]')).toHaveLength(2)
  })

  it('sends the chosen status and puts it in the URL', async () => {
    const wrapper = await mountAt('/releases')
    await wrapper.find('[data-test=status]').setValue('approved')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 25, status: 'approved' })
    expect(router.currentRoute.value.query).toEqual({ status: 'approved' })
  })

  it('offers the branch pairs seen and sends the chosen one as source and dest', async () => {
    const wrapper = await mountAt('/releases')
    const options = wrapper.findAll('[data-test=pair] option').map((option) => option.text())
    expect(options).toEqual(['All branches', 'dev → uat', 'uat → master'])

    await wrapper.find('[data-test=pair]').setValue('dev→uat')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 25, source: 'dev', dest: 'uat' })

    await wrapper.find('[data-test=status]').setValue('pending')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 25, source: 'dev', dest: 'uat', status: 'pending' })
  })

  it('waits for typing to pause before searching, and trims the text', async () => {
    vi.useFakeTimers()
    const wrapper = await mountAt('/releases')
    const input = wrapper.find('[data-test=search]')
    await input.setValue('au')
    vi.advanceTimersByTime(100)
    await input.setValue('auth ')
    vi.advanceTimersByTime(299)
    await flushPromises()
    expect(listReleases).toHaveBeenCalledTimes(1) // still typing

    vi.advanceTimersByTime(1)
    await flushPromises()
    expect(listReleases).toHaveBeenCalledTimes(2)
    expect(lastQuery()).toEqual({ limit: 25, search: 'auth' })
  })

  it('starts from the filters in the URL', async () => {
    await mountAt('/releases?status=deployed&source=uat&dest=master&search=gw')
    expect(lastQuery()).toEqual({ limit: 25, status: 'deployed', source: 'uat', dest: 'master', search: 'gw' })
  })

  it('clears every filter at once', async () => {
    const wrapper = await mountAt('/releases?status=deployed&search=gw')
    await wrapper.find('[data-test=clear]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 25 })
    expect(router.currentRoute.value.query).toEqual({})
  })

  it('loads the next page with the cursor and the same filters', async () => {
    listReleases.mockResolvedValueOnce({ items: [summary({ id: 'a' })], nextCursor: 'c-1' })
    const wrapper = await mountAt('/releases?status=pending')
    listReleases.mockResolvedValueOnce({ items: [summary({ id: 'z', createdAt: '2026-11-20T10:00:00Z' })], nextCursor: null })

    await wrapper.find('[data-test=load-more]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toEqual({ limit: 25, status: 'pending', cursor: 'c-1' })
    expect(wrapper.findAll('[data-test=release-row]')).toHaveLength(2)
    expect(wrapper.find('[data-test=load-more]').exists()).toBe(false)
  })

  it('shows only the answer for the newest filters when an older one comes last', async () => {
    let answerOld!: (page: ReleasePage) => void
    const wrapper = await mountAt('/releases')
    listReleases.mockImplementationOnce(() => new Promise((resolve) => (answerOld = resolve)))
    listReleases.mockResolvedValueOnce({ items: [summary({ id: 'approved-1', status: 'approved' })], nextCursor: null })
    await wrapper.find('[data-test=status]').setValue('pending')
    await wrapper.find('[data-test=status]').setValue('approved')
    await flushPromises()
    answerOld({ items: [summary({ id: 'pending-1' })], nextCursor: null })
    await flushPromises()
    expect(wrapper.findAll('[data-test=release-row]').map((row) => row.find('.row-id').text())).toEqual(['approved-1'])
  })

  it('shows a failed load next to the list, with a retry', async () => {
    listReleases.mockRejectedValueOnce(new Error('boom'))
    const wrapper = await mountAt('/releases')
    expect(wrapper.find('[data-test=list-error]').text()).toContain('boom')
  })
})

describe('release list, live', () => {
  it('puts a new matching release at the top and updates a known one in place', async () => {
    const wrapper = await mountAt('/releases')
    hub.send('releaseListChanged', summary({ id: 'new', createdAt: '2026-11-24T13:00:00Z' }))
    hub.send('releaseListChanged', summary({ id: 'b', sourceBranch: 'dev', destBranch: 'uat', createdAt: '2026-11-24T11:00:00Z', devApproved: true }))
    await flushPromises()

    const rows = wrapper.findAll('[data-test=release-row]')
    expect(rows.map((row) => row.find('.row-id').text())).toEqual(['new', 'a', 'b'])
    expect(rows[2]!.find('[aria-label="Dev approved"]').exists()).toBe(true)
  })

  it('ignores a release that does not match the filters and drops one that stopped matching', async () => {
    listReleases.mockResolvedValue({ items: [summary({ id: 'a', status: 'pending' })], nextCursor: null })
    const wrapper = await mountAt('/releases?status=pending')
    hub.send('releaseListChanged', summary({ id: 'other', status: 'approved', createdAt: '2026-11-25T00:00:00Z' }))
    hub.send('releaseListChanged', summary({ id: 'a', status: 'approved' }))
    await flushPromises()
    expect(wrapper.findAll('[data-test=release-row]')).toHaveLength(0)
  })

  it('joins no group but fetches again after a reconnect', async () => {
    await mountAt('/releases')
    expect(listReleases).toHaveBeenCalledTimes(1)
    hub.drop()
    await hub.comeBack()
    await flushPromises()
    expect(listReleases).toHaveBeenCalledTimes(2)
    expect(hub.invoked).toEqual([])
  })
})
