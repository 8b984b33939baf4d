import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ApprovalPanel from '../components/ApprovalPanel.vue'
import { approvalKinds } from '../api/approvals'
import { ApiProblem } from '../api/http'
import { me, release, repo } from './fixtures'
import type { Me, Release } from '../api/types'

const api = vi.hoisted(() => ({ approve: vi.fn(), withdraw: vi.fn(), deploy: vi.fn(), getRelease: vi.fn() }))
vi.mock('../api/releases', () => api)

function make(r: Release, user: Me | null) {
  return mount(ApprovalPanel, { props: { release: r, me: user } })
}

const button = (wrapper: VueWrapper, test: string) => wrapper.find(`[data-test=${test}]`)
const enabled = (wrapper: VueWrapper, test: string) => {
  const found = button(wrapper, test)
  expect(found.exists(), `${test} is shown`).toBe(true)
  return found.attributes('disabled') === undefined
}

const devApproval = { by: 'dana', at: '2026-11-24T10:05:00Z', covers: [{ repo: 'auth-service', sha: 'abcdef0123456789' }] }
const qaApproval = { by: 'quinn', at: '2026-11-24T10:06:00Z', covers: [{ repo: 'auth-service', sha: 'abcdef0123456789' }] }

beforeEach(() => {
  api.approve.mockReset()
  api.withdraw.mockReset()
  api.deploy.mockReset()
  api.getRelease.mockReset()
})

describe('approval panel', () => {
  it('shows one row per approval kind, in order', () => {
    const wrapper = make(release(), me())
    const rows = wrapper.findAll('.approval-row')
    expect(rows.map((row) => row.attributes('data-test'))).toEqual(approvalKinds.map((k) => `approval-${k.kind}`))
    expect(rows.map((row) => row.find('.who-label').text())).toEqual(['Dev Lead', 'QA'])
    expect(wrapper.find('[data-test=approve-qa]').text()).toBe('Approve as QA')
  })

  it('enables each approve button only for the matching role', () => {
    const dev = make(release(), me({ canApproveDev: true }))
    expect(enabled(dev, 'approve-dev')).toBe(true)
    expect(enabled(dev, 'approve-qa')).toBe(false)

    const qa = make(release(), me({ canApproveQa: true }))
    expect(enabled(qa, 'approve-dev')).toBe(false)
    expect(enabled(qa, 'approve-qa')).toBe(true)

    const nobody = make(release(), me())
    expect(enabled(nobody, 'approve-dev')).toBe(false)
    expect(enabled(nobody, 'approve-qa')).toBe(false)
    expect(nobody.text()).toContain('Only a Dev lead can approve.')
  })

  it('approves and hands the updated release up', async () => {
    const approved = release({ devApproval, version: 2 })
    api.approve.mockResolvedValue(approved)
    const wrapper = make(release({ version: 1 }), me({ name: 'dana', canApproveDev: true }))
    await button(wrapper, 'approve-dev').trigger('click')
    await flushPromises()
    expect(api.approve).toHaveBeenCalledWith('r1', 'dev', 1) // on the version shown: If-Match
    expect(wrapper.emitted('updated')).toEqual([[approved]])
  })

  it('shows who approved and lets a holder of the role withdraw', async () => {
    const withdrawn = release({ version: 3 })
    api.withdraw.mockResolvedValue(withdrawn)
    const wrapper = make(release({ devApproval }), me({ canApproveDev: true }))
    expect(wrapper.find('[data-test=approval-dev]').text()).toContain('Approved by dana')
    expect(button(wrapper, 'approve-dev').exists()).toBe(false)
    expect(enabled(wrapper, 'withdraw-dev')).toBe(true)

    await button(wrapper, 'withdraw-dev').trigger('click')
    await flushPromises()
    expect(api.withdraw).toHaveBeenCalledWith('r1', 'dev')
    expect(wrapper.emitted('updated')).toEqual([[withdrawn]])
  })

  it('does not let someone without the role withdraw', () => {
    const wrapper = make(release({ qaApproval }), me({ canApproveDev: true }))
    expect(enabled(wrapper, 'withdraw-qa')).toBe(false)
  })

  it('enables Mark deployed only when the release is approved', () => {
    expect(enabled(make(release({ devApproval }), me()), 'deploy')).toBe(false)
    expect(enabled(make(release({ devApproval, qaApproval, status: 'approved' }), me()), 'deploy')).toBe(true)
  })

  it('disables everything on a deployed release', () => {
    const wrapper = make(
      release({ devApproval, qaApproval: null, status: 'deployed' }),
      me({ canApproveDev: true, canApproveQa: true }),
    )
    expect(enabled(wrapper, 'withdraw-dev')).toBe(false)
    expect(enabled(wrapper, 'approve-qa')).toBe(false)
    expect(button(wrapper, 'deploy').exists()).toBe(false)
    expect(wrapper.find('[data-test=frozen-note]').text()).toContain('Deployed')
  })

  it('shows a refusal next to the button that caused it', async () => {
    api.approve.mockRejectedValue(new ApiProblem(409, 'Not allowed by the release workflow', 'One person cannot give both approvals.'))
    api.deploy.mockRejectedValue(new ApiProblem(409, 'Not allowed', 'The deploy order has a cycle.'))
    const wrapper = make(release({ status: 'approved', devApproval, qaApproval }), me({ canApproveQa: true }))
    await button(wrapper, 'deploy').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test=error-deploy]').text()).toBe('The deploy order has a cycle.')
    expect(wrapper.find('[data-test=error-dev]').exists()).toBe(false)

    const other = make(release(), me({ canApproveQa: true }))
    await button(other, 'approve-qa').trigger('click')
    await flushPromises()
    expect(other.find('[data-test=approval-qa] [data-test=error-qa]').text()).toBe('One person cannot give both approvals.')
    expect(other.emitted('updated')).toBeUndefined()
  })

  it('on a 412 says the release changed, and shows the newer release', async () => {
    const newer = release({ version: 5, notes: 'changed meanwhile' })
    api.approve.mockRejectedValue(new ApiProblem(412, 'Precondition failed', 'The release is at version 5, not 4.'))
    api.getRelease.mockResolvedValue(newer)
    const wrapper = make(release({ version: 4 }), me({ canApproveDev: true }))

    await button(wrapper, 'approve-dev').trigger('click')
    await flushPromises()

    expect(api.approve).toHaveBeenCalledWith('r1', 'dev', 4)
    expect(wrapper.find('[data-test=error-dev]').text()).toBe('The release changed since you loaded it — review and approve again.')
    expect(api.getRelease).toHaveBeenCalledWith('r1')
    expect(wrapper.emitted('updated')).toEqual([[newer]])
  })

  it('on a refused deploy shows why and the release as the service has it now', async () => {
    const dismissed = release({ version: 7, status: 'pending' })
    api.deploy.mockRejectedValue(
      new ApiProblem(409, 'Conflict', 'Not deployed: the source moved since the approvals (new commits in auth-service (abcdef0 → 1234567)).'),
    )
    api.getRelease.mockResolvedValue(dismissed)
    const wrapper = make(release({ status: 'approved', devApproval, qaApproval, version: 6 }), me())

    await button(wrapper, 'deploy').trigger('click')
    await flushPromises()

    expect(wrapper.find('[data-test=error-deploy]').text()).toContain('auth-service (abcdef0 → 1234567)')
    expect(wrapper.emitted('updated')).toEqual([[dismissed]])
  })

  it('does not offer an approval while an included repo is stale, and an excluded stale repo blocks nothing', () => {
    const stale = release({ repos: [repo('auth-service', { stale: true }), repo('api-gateway')] })
    const wrapper = make(stale, me({ canApproveDev: true }))
    expect(enabled(wrapper, 'approve-dev')).toBe(false)
    expect(wrapper.find('[data-test=approval-dev]').text()).toContain('auth-service could not be compared')

    const excluded = release({ repos: [repo('auth-service', { stale: true, excluded: true }), repo('api-gateway')] })
    expect(enabled(make(excluded, me({ canApproveDev: true })), 'approve-dev')).toBe(true)
  })

  it('does not offer the second approval to the holder of the first', () => {
    const wrapper = make(release({ devApproval: { ...devApproval, by: 'sam' } }), me({ name: 'sam', canApproveDev: true, canApproveQa: true }))
    expect(enabled(wrapper, 'approve-qa')).toBe(false)
    expect(wrapper.find('[data-test=approval-qa]').text()).toContain('You gave the Dev approval; someone else must give this one.')
  })

  it('knows the holder of the first approval by id, whatever name they go by', () => {
    const both = { canApproveDev: true, canApproveQa: true }
    const byId = { by: 'sam', at: devApproval.at, covers: [], byId: 'https://sso.example/realms/acme|42' }
    const sameIdOtherName = make(release({ devApproval: byId }), me({ name: 'samuel', id: byId.byId, ...both }))
    expect(enabled(sameIdOtherName, 'approve-qa')).toBe(false)
    expect(sameIdOtherName.find('[data-test=approval-qa]').text()).toContain('You gave the Dev approval')

    const sameNameOtherId = make(release({ devApproval: byId }), me({ name: 'sam', id: 'https://sso.example/realms/acme|43', ...both }))
    expect(enabled(sameNameOtherId, 'approve-qa')).toBe(true)
  })
})
