import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ReleaseDetail from '../views/ReleaseDetail.vue'
import { ApiProblem } from '../api/http'
import { resetHubForTests } from '../composables/useReleaseHub'
import { FakeHub } from './fakeHub'
import { changeOf, me, release, repo } from './fixtures'

const api = vi.hoisted(() => ({
  getRelease: vi.fn(),
  getHistory: vi.fn(),
  refreshRelease: vi.fn(),
  updateRepo: vi.fn(),
  updateReleaseText: vi.fn(),
  approve: vi.fn(),
  withdraw: vi.fn(),
  deploy: vi.fn(),
}))
vi.mock('../api/releases', () => api)
vi.mock('../api/me', () => ({ getMe: () => Promise.resolve(me({ canApproveDev: true })) }))

let hub: FakeHub

async function make(id = 'r1') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/releases', component: { template: '<p/>' } },
      { path: '/releases/:id', component: ReleaseDetail, props: true },
    ],
  })
  await router.push(`/releases/${id}`)
  await router.isReady()
  const wrapper = mount(ReleaseDetail, { props: { id }, global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  hub = new FakeHub()
  resetHubForTests(hub.bind())
  for (const fn of Object.values(api)) fn.mockReset()
  api.getRelease.mockResolvedValue(
    release({
      repos: [repo('auth-service', { prNumber: 123, prUrl: 'https://example.test/pr/123' }), repo('api-gateway', { excluded: true })],
      deployOrder: { layers: [['auth-service']], error: null },
    }),
  )
  api.getHistory.mockResolvedValue([{ version: 1, at: '2026-11-24T10:00:00Z', actor: 'alice', action: 'created', detail: 'uat → master' }])
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('release detail', () => {
  it('shows the release: repos with PR links, excluded rows struck, deploy order and history', async () => {
    const wrapper = await make()
    expect(wrapper.find('[data-test=title]').text()).toContain('uat')
    const rows = wrapper.findAll('[data-test=repo-row]')
    expect(rows[0]!.find('a').attributes('href')).toBe('https://example.test/pr/123')
    expect(rows[0]!.find('a').text()).toBe('#123')
    expect(rows[1]!.classes()).toContain('excluded')
    expect(wrapper.find('[data-test=layers]').text()).toContain('auth-service')
    expect(wrapper.findAll('[data-test=history-entry]')).toHaveLength(1)
  })

  it('joins the release group, and fetches the release once when the hub tells of a newer version', async () => {
    const wrapper = await make()
    expect(hub.invoked).toContainEqual(['JoinRelease', 'r1'])
    expect(api.getRelease).toHaveBeenCalledTimes(1)

    const newer = release({ version: 3, devApproval: { by: 'dana', at: '2026-11-24T10:01:00Z', covers: [] } })
    api.getRelease.mockResolvedValue(newer)
    api.getHistory.mockResolvedValue([
      { version: 1, at: '2026-11-24T10:00:00Z', actor: 'alice', action: 'created', detail: '' },
      { version: 2, at: '2026-11-24T10:01:00Z', actor: 'dana', action: 'approved-dev', detail: 'Dev approval given' },
    ])
    hub.send('releaseChanged', changeOf(release({ version: 2 })))
    hub.send('releaseChanged', changeOf(newer)) // while the first fetch runs: taken by one more at most
    hub.send('releaseChanged', changeOf(release({ id: 'other', version: 9 })))
    await flushPromises()

    expect(wrapper.find('[data-test=approval-dev]').text()).toContain('Approved by dana')
    expect(wrapper.findAll('[data-test=history-entry]')).toHaveLength(2)
    expect(wrapper.findAll('[data-test=history-entry]')[0]!.text()).toContain('Dev approved') // newest first
    expect(api.getRelease).toHaveBeenCalledTimes(2) // the page load, and one fetch for versions 2 and 3

    hub.send('releaseChanged', changeOf(release({ version: 1 }))) // late and older: ignored
    await flushPromises()
    expect(api.getRelease).toHaveBeenCalledTimes(2)
    expect(wrapper.find('[data-test=approval-dev]').text()).toContain('Approved by dana')

    wrapper.unmount()
    await flushPromises()
    expect(hub.invoked).toContainEqual(['LeaveRelease', 'r1'])
  })

  it('applies each version once: the live echo of a change made here renders nothing again', async () => {
    const wrapper = await make()
    const answer = release({ version: 2, repos: [repo('auth-service', { excluded: true }), repo('api-gateway', { excluded: true })] })
    api.updateRepo.mockResolvedValue(answer)
    await wrapper.findAll('[data-test=exclude]')[0]!.setValue(true)
    await flushPromises()
    expect(wrapper.findAll('[data-test=repo-row]')[0]!.classes()).toContain('excluded')
    expect(api.getHistory).toHaveBeenCalledTimes(2) // the first load, and after the change

    // The echo of version 2: ignored, no fetch, no second history load.
    const rendered = wrapper.findAll('[data-test=repo-row]')[0]!.element
    hub.send('releaseChanged', changeOf(answer))
    await flushPromises()
    expect(api.getRelease).toHaveBeenCalledTimes(1)
    expect(api.getHistory).toHaveBeenCalledTimes(2)
    expect(wrapper.findAll('[data-test=repo-row]')[0]!.element).toBe(rendered)

    // Version 3 from someone else: fetched and applied; the rows that did not change keep their repo objects.
    const third = { ...answer, version: 3, notes: 'newer', repos: answer.repos.map((r) => ({ ...r })) }
    api.getRelease.mockResolvedValue(third)
    hub.send('releaseChanged', changeOf(third))
    await flushPromises()
    expect(wrapper.text()).toContain('newer')
    expect(api.getRelease).toHaveBeenCalledTimes(2)
    expect(api.getHistory).toHaveBeenCalledTimes(3)
    expect(wrapper.findAll('[data-test=repo-row]')[0]!.element).toBe(rendered)
  })

  it('a big release has a summary on top that jumps to the approvals', async () => {
    const repos = Array.from({ length: 200 }, (_, i) => repo(`svc-${i}`))
    api.getRelease.mockResolvedValue(release({ repos, devApproval: { by: 'dana', at: '2026-11-24T10:01:00Z', covers: [] } }))
    const wrapper = await make()
    const summary = wrapper.find('[data-test=summary]')
    expect(summary.find('[data-test=summary-dev]').text()).toContain('by dana')
    expect(summary.find('[data-test=summary-qa]').text()).toContain('not approved')
    expect(summary.text()).toContain('200 of 200 repos included')
    const heading = document.getElementById('approvals-title')!
    heading.scrollIntoView = () => {}
    await summary.find('[data-test=jump-approvals]').trigger('click')
    await flushPromises()
    expect(document.activeElement).toBe(heading)
  })

  it('shows warnings, a cycle, and a frozen deployed release', async () => {
    api.getRelease.mockResolvedValue(
      release({
        status: 'deployed',
        warnings: ['billing-service: branch uat is missing'],
        deployOrder: { layers: [], error: 'Dependency cycle: a → b → a.' },
      }),
    )
    const wrapper = await make()
    expect(wrapper.find('[data-test=warnings]').text()).toContain('billing-service: branch uat is missing')
    expect(wrapper.find('[data-test=cycle]').text()).toContain('Dependency cycle: a → b → a.')
    expect(wrapper.find('[data-test=frozen]').exists()).toBe(true)
    expect(wrapper.find('[data-test=refresh]').attributes('disabled')).toBeDefined()
    expect(wrapper.findAll('[data-test=exclude]').every((box) => box.attributes('disabled') !== undefined)).toBe(true)
    expect(wrapper.find('[data-test=add]').exists()).toBe(false)
  })

  it('says when a release does not exist', async () => {
    api.getRelease.mockRejectedValue(new ApiProblem(404, 'Not found', 'Release nope not found.'))
    const wrapper = await make('nope')
    expect(wrapper.find('[data-test=load-error]').text()).toContain('Release not found')
  })

  it('shows a failed repo change next to its row', async () => {
    api.updateRepo.mockRejectedValue(new ApiProblem(400, 'Invalid request', 'dependsOn names a repo not in the release.'))
    const wrapper = await make()
    await wrapper.findAll('[data-test=exclude]')[0]!.setValue(true)
    await flushPromises()
    expect(api.updateRepo).toHaveBeenCalledWith('r1', 'auth-service', { excluded: true })
    expect(wrapper.find('.row-error').text()).toContain('auth-service: dependsOn names a repo not in the release.')
    expect((wrapper.findAll('[data-test=exclude]')[0]!.element as HTMLInputElement).checked).toBe(false)
  })
})
