import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import DeployPlanView from '../components/DeployPlanView.vue'
import { release, repo } from './fixtures'
import type { Release } from '../api/types'

const sha = (c: string) => c.repeat(40)

function deploying(over: Partial<Release> = {}): Release {
  const covers = [
    { repo: 'db-service', sha: sha('d') },
    { repo: 'api-service', sha: sha('a') },
    { repo: 'web-app', sha: sha('b') },
  ]
  return release({
    status: 'deploying',
    devApproval: { by: 'dana', at: '2026-11-24T10:00:00Z', covers, byId: 'dev:dana' },
    qaApproval: { by: 'quinn', at: '2026-11-24T10:00:00Z', covers, byId: 'dev:quinn' },
    repos: [
      repo('api-service', { headSha: sha('a'), dependsOn: ['db-service'], deployment: { state: 'in_progress', sha: sha('a'), at: '2026-11-24T11:00:00Z', by: 'ci', url: 'https://ci.example.com/runs/9' } }),
      repo('db-service', { headSha: sha('d'), deployment: { state: 'success', sha: sha('d'), at: '2026-11-24T10:30:00Z', by: 'ci', url: null } }),
      repo('web-app', { headSha: sha('b'), dependsOn: ['api-service'], deployment: null }),
    ],
    deployOrder: { layers: [['db-service'], ['api-service'], ['web-app']], error: null },
    ...over,
  })
}

const stateOf = (wrapper: ReturnType<typeof mount>, name: string) => wrapper.find(`[data-test=plan-repo-${name}]`).attributes('data-state')

describe('deploy plan', () => {
  it('shows the layers in order with each repo state, the approved commit and a link to the pipeline run', () => {
    const wrapper = mount(DeployPlanView, { props: { release: deploying() } })
    expect(wrapper.findAll('.layer-label').map((l) => l.text())).toEqual(['Layer 1', 'Layer 2', 'Layer 3'])
    expect(stateOf(wrapper, 'db-service')).toBe('success')
    expect(stateOf(wrapper, 'api-service')).toBe('in_progress')
    expect(stateOf(wrapper, 'web-app')).toBe('waiting')
    expect(wrapper.find('[data-test=plan-repo-web-app]').text()).toContain('waiting')
    expect(wrapper.find('[data-test=plan-repo-db-service]').text()).toContain('succeeded')
    expect(wrapper.find('[data-test=plan-repo-db-service] .step-sha').text()).toBe('ddddddd')
    const link = wrapper.find('[data-test=plan-repo-api-service] [data-test=step-link]')
    expect(link.text()).toBe('in progress')
    expect(link.attributes('href')).toBe('https://ci.example.com/runs/9')
    expect(wrapper.find('[data-test=plan-progress]').text()).toBe('1 of 3 repos deployed')
  })

  it('follows a newer release (the hub sends it): a failure, then a retry that succeeds', async () => {
    const wrapper = mount(DeployPlanView, { props: { release: deploying() } })
    const failed = deploying({ version: 2 })
    failed.repos[0] = { ...failed.repos[0]!, deployment: { state: 'failure', sha: sha('a'), at: '2026-11-24T11:05:00Z', by: 'ci', url: null } }
    await wrapper.setProps({ release: failed })
    expect(stateOf(wrapper, 'api-service')).toBe('failure')
    expect(wrapper.find('[data-test=plan-repo-api-service]').text()).toContain('failed')

    const retried = deploying({ version: 3 })
    retried.repos[0] = { ...retried.repos[0]!, deployment: { state: 'success', sha: sha('a'), at: '2026-11-24T11:20:00Z', by: 'ci', url: null } }
    await wrapper.setProps({ release: retried })
    expect(stateOf(wrapper, 'api-service')).toBe('success')
    expect(wrapper.find('[data-test=plan-progress]').text()).toBe('2 of 3 repos deployed')
  })

  it('shows repos of a release marked deployed without reports as deployed', () => {
    const marked = deploying({ status: 'deployed' })
    marked.repos[2] = { ...marked.repos[2]!, deployment: null }
    const wrapper = mount(DeployPlanView, { props: { release: marked } })
    expect(stateOf(wrapper, 'web-app')).toBe('marked')
  })
})
