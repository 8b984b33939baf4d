import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import RepoTable from '../components/RepoTable.vue'
import ApprovalPanel from '../components/ApprovalPanel.vue'
import TextSection from '../components/TextSection.vue'
import ChecksBadge from '../components/ChecksBadge.vue'
import { hasFailingChecks } from '../utils/repoFilters'
import { me, release, repo } from './fixtures'
import type { RepoCommits } from '../api/types'

const api = vi.hoisted(() => ({
  updateRepo: vi.fn(),
  listRepoCommits: vi.fn(),
  getNotesDraft: vi.fn(),
  updateReleaseText: vi.fn(),
  getRelease: vi.fn(),
  approve: vi.fn(),
  withdraw: vi.fn(),
  deploy: vi.fn(),
}))
vi.mock('../api/releases', () => api)

const commits: RepoCommits = {
  total: 5,
  compareUrl: 'https://github.com/acme/auth-service/compare/aaa...bbb',
  commits: [
    { sha: 'c5c5c5c5c5', subject: 'Fix 3', author: 'Bob', at: '2026-11-24T10:05:00Z', url: 'https://github.com/acme/auth-service/commit/c5' },
    { sha: 'c4c4c4c4c4', subject: 'Fix 2', author: 'Bob', at: '2026-11-24T10:04:00Z', url: null },
    { sha: 'c3c3c3c3c3', subject: 'Fix 1', author: 'Bob', at: '2026-11-24T10:03:00Z', url: null },
    { sha: 'c2c2c2c2c2', subject: 'Logout', author: 'Alice', at: '2026-11-24T10:02:00Z', url: null },
  ],
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('what ships', () => {
  it('a repo row opens its commit list, loaded on demand, with the new commits marked and the PR and compare links', async () => {
    api.listRepoCommits.mockResolvedValue(commits)
    const auth = repo('auth-service', {
      newSinceApproval: 3,
      prNumber: 4,
      prUrl: 'https://github.com/acme/auth-service/pull/4',
      checks: { state: 'failure', failing: ['build'], url: 'https://github.com/acme/auth-service/commit/x/checks' },
    })
    const wrapper = mount(RepoTable, { props: { release: release({ repos: [auth, repo('api-gateway')] }), frozen: false }, attachTo: document.body })
    expect(api.listRepoCommits).not.toHaveBeenCalled()
    expect(wrapper.find('[data-test=new-since-approval]').text()).toBe('3 new since approval')
    expect(wrapper.find('[data-test=checks-failure]').attributes('href')).toBe('https://github.com/acme/auth-service/commit/x/checks')

    await wrapper.findAll('[data-test=show-commits]')[0]!.trigger('click')
    await flushPromises()

    expect(api.listRepoCommits).toHaveBeenCalledWith('r1', 'auth-service', expect.anything())
    const dialog = document.body.querySelector('[data-test=repo-commits]')!
    const items = [...dialog.querySelectorAll('[data-test=commit]')]
    expect(items.map((item) => item.querySelector('.subject')!.textContent)).toEqual(['Fix 3', 'Fix 2', 'Fix 1', 'Logout'])
    expect(items.map((item) => !!item.querySelector('[data-test=commit-new]'))).toEqual([true, true, true, false])
    expect(dialog.querySelector('[data-test=commits-total]')!.textContent).toContain('5 commits, the newest 4 listed')
    expect(dialog.querySelector('[data-test=commits-pr]')!.getAttribute('href')).toBe('https://github.com/acme/auth-service/pull/4')
    expect(dialog.querySelector('[data-test=commits-compare]')!.getAttribute('href')).toBe(commits.compareUrl)
    wrapper.unmount()
  })

  it('the failing-checks filter hook reads checks.state', () => {
    expect(hasFailingChecks(repo('a', { checks: { state: 'failure', failing: ['x'], url: null } }))).toBe(true)
    expect(hasFailingChecks(repo('a', { checks: { state: 'pending', failing: [], url: null } }))).toBe(false)
    expect(hasFailingChecks(repo('a', { checks: null }))).toBe(false)
  })

  it('shows no badge for repos without checks', () => {
    const wrapper = mount(ChecksBadge, { props: { checks: { state: 'none', failing: [], url: null } } })
    expect(wrapper.text()).toBe('')
  })

  it('a red check blocks the approve buttons and says why', () => {
    const blocked = release({
      repos: [repo('auth-service', { checks: { state: 'failure', failing: ['build'], url: null } })],
      approvalBlockedByChecks: 'No approval while checks fail in auth-service (build).',
    })
    const wrapper = mount(ApprovalPanel, { props: { release: blocked, me: me({ canApproveDev: true, roles: ['release-dev-lead'] }) } })
    expect(wrapper.find('[data-test=approve-dev]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-test=approval-dev]').text()).toContain('No approval while checks fail in auth-service (build).')

    const green = mount(ApprovalPanel, { props: { release: release({ approvalBlockedByChecks: null }), me: me({ canApproveDev: true, roles: ['release-dev-lead'] }) } })
    expect(green.find('[data-test=approve-dev]').attributes('disabled')).toBeUndefined()
  })

  it('"Draft from commits" fills the notes editor without saving', async () => {
    api.getNotesDraft.mockResolvedValue('# Release `uat` → `master`\n\n## auth-service\n\n- Add login (#7)\n')
    const wrapper = mount(TextSection, {
      props: { releaseId: 'r1', field: 'notes', label: 'Notes', text: 'old', version: 3, frozen: false, draftable: true },
      attachTo: document.body,
    })
    await wrapper.find('[data-test=draft-from-commits]').trigger('click')
    await flushPromises()
    expect(api.getNotesDraft).toHaveBeenCalledWith('r1')
    expect((wrapper.find('[data-test=textarea]').element as HTMLTextAreaElement).value).toContain('- Add login (#7)')
    expect(api.updateReleaseText).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})
