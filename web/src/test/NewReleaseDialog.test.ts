import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import NewReleaseDialog from '../components/NewReleaseDialog.vue'
import { ApiProblem } from '../api/http'
import { resetHubForTests } from '../composables/useReleaseHub'
import { FakeHub } from './fakeHub'
import { release } from './fixtures'

const api = vi.hoisted(() => ({ createRelease: vi.fn() }))
vi.mock('../api/releases', () => api)

let hub: FakeHub

/** A Tab press as the browser sends it: from the focused element, bubbling. */
function tab(from: Element, shiftKey = false) {
  from.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true }))
}

function make() {
  return mount(NewReleaseDialog, {
    props: { open: true },
    attachTo: document.body,
    global: { stubs: { teleport: true } },
  })
}

beforeEach(() => {
  hub = new FakeHub()
  resetHubForTests(hub.bind())
  api.createRelease.mockReset()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('new release dialog', () => {
  it('starts with uat → master', () => {
    const wrapper = make()
    expect((wrapper.find('#new-source').element as HTMLInputElement).value).toBe('uat')
    expect((wrapper.find('#new-dest').element as HTMLInputElement).value).toBe('master')
  })

  it('refuses empty and equal branches inline, without asking the service', async () => {
    const wrapper = make()
    await wrapper.find('#new-source').setValue('  ')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#new-source-error').text()).toBe('Enter the branch the changes come from.')
    expect(wrapper.find('#new-source').attributes('aria-invalid')).toBe('true')

    await wrapper.find('#new-source').setValue('master')
    expect(wrapper.find('#new-source-error').text()).toBe('')
    expect(wrapper.find('#new-dest-error').text()).toBe('Must differ from the source.')
    await wrapper.find('form').trigger('submit')
    expect(api.createRelease).not.toHaveBeenCalled()
  })

  it('watches progress before posting, shows it, and hands the created release up', async () => {
    let finish!: (value: unknown) => void
    api.createRelease.mockReturnValue(new Promise((resolve) => (finish = resolve)))
    const wrapper = make()
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const watched = hub.invoked.find(([method]) => method === 'WatchProgress')
    expect(watched).toBeDefined()
    const progressId = watched![1]
    expect(api.createRelease).toHaveBeenCalledWith({ sourceBranch: 'uat', destBranch: 'master', notes: undefined }, progressId)
    expect(wrapper.find('[data-test=progress]').text()).toContain('Comparing repositories…')

    hub.send('compareProgress', { progressId: 'someone-else', compared: 1, total: 2 })
    hub.send('compareProgress', { progressId, compared: 3, total: 12 })
    await flushPromises()
    expect(wrapper.find('[data-test=progress]').text()).toContain('Compared 3 of 12 repositories')
    expect(wrapper.find('[role=progressbar]').attributes('aria-valuenow')).toBe('25')

    const created = release({ id: 'new1' })
    finish(created)
    await flushPromises()
    expect(wrapper.emitted('created')).toEqual([[created, true]])
  })

  it('shows the service refusal inside the dialog', async () => {
    api.createRelease.mockRejectedValue(new ApiProblem(422, 'Nothing to release', "No repo has commits on 'uat' that are not on 'master'."))
    const wrapper = make()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const problem = wrapper.find('[data-test=problem]')
    expect(problem.text()).toContain('Nothing to release')
    expect(problem.text()).toContain("No repo has commits on 'uat'")
    expect(wrapper.emitted('created')).toBeUndefined()
  })

  it('closes on Escape', async () => {
    const wrapper = make()
    await wrapper.find('[role=dialog]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('close')).toHaveLength(1)
  })

  it('moves the focus in on open and keeps Tab inside the dialog', async () => {
    const wrapper = make()
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.find('#new-source').element)
    const create = wrapper.find('[data-test=create]').element as HTMLElement
    create.focus()
    tab(create)
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close') // wrapped to the first control
    tab(document.activeElement!, true)
    expect(document.activeElement).toBe(create)
  })
})
