import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import DeployOrderView from '../components/DeployOrderView.vue'

describe('deploy order', () => {
  it('shows a small layer whole', () => {
    const wrapper = mount(DeployOrderView, { props: { order: { layers: [['a', 'b'], ['c']], error: null } } })
    expect(wrapper.findAll('.layer-repos').map((layer) => layer.text())).toEqual(['a, b', 'c'])
    expect(wrapper.find('[data-test=layer-more]').exists()).toBe(false)
  })

  it('shortens a layer of thousands of repos until asked for all', async () => {
    const layer = Array.from({ length: 3000 }, (_, i) => `svc-${i}`)
    const wrapper = mount(DeployOrderView, { props: { order: { layers: [layer], error: null } } })
    expect(wrapper.find('.layer-repos').text()).toContain('svc-39, …')
    expect(wrapper.find('.layer-repos').text()).not.toContain('svc-40,')
    await wrapper.find('[data-test=layer-more]').trigger('click')
    expect(wrapper.find('.layer-repos').text()).toContain('svc-2999')
  })
})
