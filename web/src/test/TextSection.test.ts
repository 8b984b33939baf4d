import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import TextSection from '../components/TextSection.vue'
import { ApiProblem } from '../api/http'
import { release } from './fixtures'

const api = vi.hoisted(() => ({ updateReleaseText: vi.fn(), getRelease: vi.fn() }))
vi.mock('../api/releases', () => api)

function make(text = 'Deploy auth first', version = 4) {
  return mount(TextSection, {
    props: { releaseId: 'r1', field: 'notes', label: 'Notes', text, version, frozen: false },
    attachTo: document.body,
  })
}

beforeEach(() => {
  api.updateReleaseText.mockReset()
  api.getRelease.mockReset()
})

describe('notes editor', () => {
  it('saves with If-Match on the version the edit started from', async () => {
    const saved = release({ notes: 'Deploy auth first, then the rest', version: 5 })
    api.updateReleaseText.mockResolvedValue(saved)
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.find('[data-test=textarea]').setValue('Deploy auth first, then the rest')
    await wrapper.find('[data-test=save]').trigger('click')
    await flushPromises()
    expect(api.updateReleaseText).toHaveBeenCalledWith('r1', { notes: 'Deploy auth first, then the rest' }, 4)
    expect(wrapper.emitted('updated')).toEqual([[saved]])
    expect(wrapper.find('[data-test=textarea]').exists()).toBe(false)
  })

  it('on 412 keeps the user text, shows the newer one, and saves over it only when asked', async () => {
    api.updateReleaseText.mockRejectedValueOnce(new ApiProblem(412, 'Precondition failed', 'The release has moved on.'))
    api.getRelease.mockResolvedValue(release({ notes: 'Wait 10 min (dana)', version: 6 }))
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.find('[data-test=textarea]').setValue('My version')
    await wrapper.find('[data-test=save]').trigger('click')
    await flushPromises()

    expect(wrapper.find('[data-test=conflict]').exists()).toBe(true)
    expect(wrapper.find('[data-test=newer]').text()).toBe('Wait 10 min (dana)')
    expect((wrapper.find('[data-test=textarea]').element as HTMLTextAreaElement).value).toBe('My version')
    expect(wrapper.find('[data-test=save]').attributes('disabled')).toBeDefined()
    expect(api.updateReleaseText).toHaveBeenCalledTimes(1)

    api.updateReleaseText.mockResolvedValueOnce(release({ notes: 'My version', version: 7 }))
    await wrapper.find('[data-test=save-over]').trigger('click')
    await flushPromises()
    expect(api.updateReleaseText).toHaveBeenLastCalledWith('r1', { notes: 'My version' }, 6)
    expect(wrapper.find('[data-test=conflict]').exists()).toBe(false)
  })

  it('on 412 caused by another part of the release, saves again on the newer version', async () => {
    api.updateReleaseText
      .mockRejectedValueOnce(new ApiProblem(412, 'Precondition failed', ''))
      .mockResolvedValueOnce(release({ notes: 'Mine', version: 9 }))
    api.getRelease.mockResolvedValue(release({ notes: 'Deploy auth first', version: 8 }))
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.find('[data-test=textarea]').setValue('Mine')
    await wrapper.find('[data-test=save]').trigger('click')
    await flushPromises()
    expect(api.updateReleaseText.mock.calls.map((call) => call[2])).toEqual([4, 8])
    expect(wrapper.find('[data-test=conflict]').exists()).toBe(false)
  })

  it('a live change of the same text while typing marks a newer version and keeps the draft', async () => {
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.find('[data-test=textarea]').setValue('Typing…')
    await wrapper.setProps({ text: 'Changed elsewhere', version: 5 })
    expect(wrapper.find('[data-test=newer]').text()).toBe('Changed elsewhere')
    expect((wrapper.find('[data-test=textarea]').element as HTMLTextAreaElement).value).toBe('Typing…')

    await wrapper.find('[data-test=take-newer]').trigger('click')
    expect((wrapper.find('[data-test=textarea]').element as HTMLTextAreaElement).value).toBe('Changed elsewhere')
    expect(wrapper.find('[data-test=conflict]').exists()).toBe(false)
  })

  it('follows a live change while nothing was typed, and moves onto newer versions of other parts', async () => {
    api.updateReleaseText.mockResolvedValue(release({ version: 7 }))
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.setProps({ text: 'Newer', version: 5 })
    expect((wrapper.find('[data-test=textarea]').element as HTMLTextAreaElement).value).toBe('Newer')

    await wrapper.setProps({ text: 'Newer', version: 6 }) // a repo changed, not the notes
    await wrapper.find('[data-test=textarea]').setValue('Newer, and mine')
    await wrapper.find('[data-test=save]').trigger('click')
    await flushPromises()
    expect(api.updateReleaseText).toHaveBeenCalledWith('r1', { notes: 'Newer, and mine' }, 6)
  })

  it('shows other errors next to the editor', async () => {
    api.updateReleaseText.mockRejectedValue(new ApiProblem(409, 'Not allowed', 'A deployed release is frozen.'))
    const wrapper = make()
    await wrapper.find('[data-test=edit]').trigger('click')
    await wrapper.find('[data-test=save]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test=error]').text()).toBe('A deployed release is frozen.')
  })

  it('cannot be edited on a frozen release', () => {
    const wrapper = mount(TextSection, {
      props: { releaseId: 'r1', field: 'notes', label: 'Notes', text: '', version: 1, frozen: true },
    })
    expect(wrapper.find('[data-test=edit]').attributes('disabled')).toBeDefined()
  })
})
