import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import DependencySelector from '../components/DependencySelector.vue'

const repos = ['user-service', 'api-gateway', 'auth-service', 'config-svc']

function make(props: Partial<InstanceType<typeof DependencySelector>['$props']> = {}) {
  return mount(DependencySelector, {
    props: { repo: 'api-gateway', repos, modelValue: ['auth-service'], ...props },
    attachTo: document.body,
  })
}

const options = (wrapper: VueWrapper) => wrapper.findAll('[data-test=option]').map((option) => option.text())
const emitted = (wrapper: VueWrapper) => wrapper.emitted('update:modelValue')?.map((args) => args[0])

afterEach(() => {
  document.body.innerHTML = ''
})

describe('dependency selector', () => {
  it('shows the chosen repos as chips', () => {
    const wrapper = make({ modelValue: ['auth-service', 'config-svc'] })
    expect(wrapper.findAll('[data-test=chip]').map((chip) => chip.find('.chip-name').text())).toEqual([
      'auth-service',
      'config-svc',
    ])
  })

  it('offers only the other repos that are not chosen yet, sorted', async () => {
    const wrapper = make()
    await wrapper.find('[data-test=add]').trigger('click')
    expect(options(wrapper)).toEqual(['config-svc', 'user-service'])
    expect(options(wrapper)).not.toContain('api-gateway')
  })

  it('adds the picked repo to the list', async () => {
    const wrapper = make()
    await wrapper.find('[data-test=add]').trigger('click')
    await wrapper.findAll('[data-test=option]')[1]!.trigger('click')
    expect(emitted(wrapper)).toEqual([['auth-service', 'user-service']])
    expect(wrapper.find('[data-test=menu]').exists()).toBe(false)
  })

  it('removes a chip with its ×', async () => {
    const wrapper = make({ modelValue: ['auth-service', 'config-svc'] })
    await wrapper.findAll('[data-test=chip-remove]')[0]!.trigger('click')
    expect(emitted(wrapper)).toEqual([['config-svc']])
  })

  it('works from the keyboard: open, move, pick, and the focus comes back', async () => {
    const wrapper = make()
    const add = wrapper.find('[data-test=add]')
    ;(add.element as HTMLElement).focus()
    await add.trigger('keydown', { key: 'ArrowDown' })
    await nextTick()
    const filter = wrapper.find('[data-test=filter]')
    expect(document.activeElement).toBe(filter.element)
    expect(filter.attributes('aria-activedescendant')).toBe(wrapper.findAll('[data-test=option]')[0]!.attributes('id'))

    await filter.trigger('keydown', { key: 'ArrowDown' })
    expect(wrapper.findAll('[data-test=option]')[1]!.attributes('aria-selected')).toBe('true')
    await filter.trigger('keydown', { key: 'Enter' })
    await nextTick()
    expect(emitted(wrapper)).toEqual([['auth-service', 'user-service']])
    expect(document.activeElement).toBe(add.element)
  })

  it('filters the menu by typing and Escape closes it without a change', async () => {
    const wrapper = make({ modelValue: [] })
    await wrapper.find('[data-test=add]').trigger('click')
    await wrapper.find('[data-test=filter]').setValue('svc')
    expect(options(wrapper)).toEqual(['config-svc'])

    await wrapper.find('[data-test=filter]').trigger('keydown', { key: 'Escape' })
    await nextTick()
    expect(wrapper.find('[data-test=menu]').exists()).toBe(false)
    expect(document.activeElement).toBe(wrapper.find('[data-test=add]').element)
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
  })

  it('removes a chip from the keyboard and moves the focus on once the list changed', async () => {
    const wrapper = make({ modelValue: ['auth-service', 'config-svc'] })
    const first = wrapper.findAll('[data-test=chip-remove]')[0]!
    await first.trigger('keydown', { key: 'Backspace' })
    expect(emitted(wrapper)).toEqual([['config-svc']])

    await wrapper.setProps({ modelValue: ['config-svc'] })
    await nextTick()
    const remaining = wrapper.findAll('[data-test=chip-remove]')
    expect(remaining).toHaveLength(1)
    expect(document.activeElement).toBe(remaining[0]!.element)
  })

  it('offers nothing when every other repo is chosen', () => {
    const wrapper = make({ modelValue: ['user-service', 'auth-service', 'config-svc'] })
    expect(wrapper.find('[data-test=add]').attributes('disabled')).toBeDefined()
  })

  it('has no controls on a frozen release, and ignores clicks while saving', async () => {
    const frozen = make({ disabled: true })
    expect(frozen.find('[data-test=add]').exists()).toBe(false)
    expect(frozen.find('[data-test=chip-remove]').exists()).toBe(false)

    const saving = make({ pending: true })
    await saving.find('[data-test=chip-remove]').trigger('click')
    await saving.find('[data-test=add]').trigger('click')
    expect(saving.emitted('update:modelValue')).toBeUndefined()
    expect(saving.find('[data-test=menu]').exists()).toBe(false)
  })
})

describe('dependency search among thousands of repos', () => {
  const many = Array.from({ length: 3000 }, (_, i) => `svc-${String(i + 1).padStart(4, '0')}`)

  it('lists a page of matches, not every repo, and says how many more there are', async () => {
    const wrapper = make({ repo: 'svc-0001', repos: many, modelValue: [] })
    expect(wrapper.find('[data-test=add]').attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-test=add]').trigger('click')
    expect(wrapper.findAll('[data-test=option]')).toHaveLength(50)
    expect(options(wrapper)[0]).toBe('svc-0002')
    expect(wrapper.find('[data-test=more]').text()).toContain('2949 more')
  })

  it('typing filters; arrows and Enter add the match; Escape closes', async () => {
    const wrapper = make({ repo: 'svc-0001', repos: many, modelValue: ['svc-2710'], excluded: ['svc-2712'] })
    await wrapper.find('[data-test=add]').trigger('click')
    const filter = wrapper.find('[data-test=filter]')
    await filter.setValue('271')
    expect(options(wrapper).map((text) => text.replace(/\s*excluded$/, ''))).toEqual(
      ['svc-0271', 'svc-1271', 'svc-2271', 'svc-2711', 'svc-2712', 'svc-2713', 'svc-2714', 'svc-2715', 'svc-2716', 'svc-2717', 'svc-2718', 'svc-2719'],
    ) // svc-2710 is chosen already
    expect(wrapper.findAll('[data-test=option]')[4]!.find('.option-note').text()).toBe('excluded')
    expect(wrapper.find('[data-test=more]').exists()).toBe(false)

    await filter.setValue('svc-27')
    expect(options(wrapper)).toHaveLength(50)
    await filter.setValue('svc-271')
    await filter.trigger('keydown', { key: 'ArrowDown' })
    await filter.trigger('keydown', { key: 'ArrowDown' })
    expect(filter.attributes('aria-activedescendant')).toBe(wrapper.findAll('[data-test=option]')[2]!.attributes('id'))
    await filter.trigger('keydown', { key: 'Enter' })
    expect(emitted(wrapper)).toEqual([['svc-2710', 'svc-2713']])
    expect(wrapper.find('[data-test=menu]').exists()).toBe(false)

    await wrapper.find('[data-test=add]').trigger('click')
    await wrapper.find('[data-test=filter]').setValue('svc-00')
    await wrapper.find('[data-test=filter]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-test=menu]').exists()).toBe(false)
    expect(emitted(wrapper)).toHaveLength(1)
  })
})
