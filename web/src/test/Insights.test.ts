import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import type { InsightsReport } from '../api/types'
import type { InsightsQuery } from '../api/insights'

const getInsights = vi.fn<(query: InsightsQuery) => Promise<InsightsReport>>()
vi.mock('../api/insights', () => ({ getInsights: (query: InsightsQuery) => getInsights(query) }))
const replaced: unknown[] = []
vi.mock('vue-router', () => ({
  useRoute: () => ({ query: { dest: 'master', from: '2026-11-01', to: '2026-11-30' } }),
  useRouter: () => ({ replace: (to: unknown) => (replaced.push(to), Promise.resolve()) }),
}))
// jsdom has no canvas: the charts are stand-ins that show the data they were given.
vi.mock('vue-chartjs', () => {
  const stub = (name: string) =>
    defineComponent({
      props: { data: { type: Object, required: true }, options: Object },
      setup: (props) => () => h('div', { 'data-test': `chart-${name}` }, JSON.stringify(props.data)),
    })
  return { Bar: stub('bar'), Line: stub('line') }
})

import InsightsPage from '../views/InsightsPage.vue'
import { deploymentsChart, formatHours, formatRate, fromForDays, gateChart, leadTimeChart, weekLabel } from '../utils/insights'

const report: InsightsReport = {
  dest: 'master',
  from: '2026-11-01',
  to: '2026-11-30',
  weeks: 'ISO 8601 weeks (Monday first) in UTC',
  deploymentFrequency: {
    total: 3,
    perWeek: 0.5,
    weeks: [
      { week: '2026-W47', start: '2026-11-16', count: 1 },
      { week: '2026-W48', start: '2026-11-23', count: 2 },
    ],
  },
  leadTimeForChanges: {
    commits: 12,
    medianHours: 30,
    p90Hours: 70,
    weeks: [
      { week: '2026-W47', start: '2026-11-16', count: 0, medianHours: null },
      { week: '2026-W48', start: '2026-11-23', count: 12, medianHours: 30 },
    ],
  },
  changeFailureRate: { deployed: 3, failed: 1, rate: 0.3333 },
  timeToRestore: { restores: 1, medianHours: 0.5, unrestored: 0 },
  gate: {
    createdToApproved: { count: 3, medianHours: 20, p90Hours: 50 },
    approvedToDeployed: { count: 3, medianHours: 3, p90Hours: 6 },
    approvalsGiven: 8,
    approvalsDismissed: 2,
    releasesApproved: 3,
    releasesWithDismissals: 1,
  },
}

beforeEach(() => {
  getInsights.mockReset()
  replaced.length = 0
})

describe('insights figures', () => {
  it('turn the weekly series into chart data, gaps kept as gaps', () => {
    expect(weekLabel('2026-W48')).toBe('W48')
    expect(deploymentsChart(report).labels).toEqual(['W47', 'W48'])
    expect(deploymentsChart(report).datasets[0]!.data).toEqual([1, 2])
    expect(leadTimeChart(report).datasets[0]!.data).toEqual([null, 30])
    expect(gateChart(report).datasets.map((d) => d.data)).toEqual([
      [20, 3],
      [50, 6],
    ])
  })

  it('say hours and shares in words', () => {
    expect(formatHours(null)).toBe('—')
    expect(formatHours(0.5)).toBe('30 min')
    expect(formatHours(30)).toBe('30 h')
    expect(formatHours(72)).toBe('3 days')
    expect(formatRate(0.3333)).toBe('33.3%')
    expect(formatRate(null)).toBe('—')
    expect(fromForDays('2026-11-30', 30)).toBe('2026-11-01')
  })
})

describe('insights page', () => {
  it('asks for the filters in the address and shows every figure with its explanation and the charts', async () => {
    getInsights.mockResolvedValue(report)
    const wrapper = mount(InsightsPage)
    await flushPromises()

    expect(getInsights).toHaveBeenCalledWith({ dest: 'master', from: '2026-11-01', to: '2026-11-30' })
    expect(wrapper.find('[data-test=tile-frequency]').text()).toContain('0.5 / week')
    expect(wrapper.find('[data-test=tile-lead]').text()).toContain('30 h')
    expect(wrapper.find('[data-test=tile-failure]').text()).toContain('33.3%')
    expect(wrapper.find('[data-test=tile-failure]').text()).toContain('1 of 3 deployed releases')
    expect(wrapper.find('[data-test=tile-restore]').text()).toContain('30 min')
    expect(wrapper.find('[data-test=tile-dismissed]').text()).toContain('2')
    for (const tile of wrapper.findAll('.insights-tile')) {
      expect(tile.find('.insights-explain').text().length).toBeGreaterThan(10)
    }
    expect(wrapper.findAll('[data-test=chart-bar]')).toHaveLength(2)
    expect(wrapper.findAll('[data-test=chart-line]')).toHaveLength(1)
    expect(wrapper.find('[data-test=chart-bar]').text()).toContain('"W48"')
    expect(wrapper.find('[data-test=insights-range-note]').text()).toContain('ISO weeks in UTC')
  })

  it('asks again for another branch and range, and keeps them in the address', async () => {
    getInsights.mockResolvedValue(report)
    const wrapper = mount(InsightsPage)
    await flushPromises()
    expect(wrapper.find<HTMLSelectElement>('[data-test=insights-range]').element.value).toBe('custom')

    await wrapper.find('[data-test=insights-dest]').setValue('production')
    await wrapper.find('[data-test=insights-from]').setValue('2026-10-01')
    await wrapper.find('[data-test=insights-filters]').trigger('submit')
    await flushPromises()

    expect(getInsights).toHaveBeenLastCalledWith({ dest: 'production', from: '2026-10-01', to: '2026-11-30' })
    expect(replaced.at(-1)).toEqual({ query: { dest: 'production', from: '2026-10-01', to: '2026-11-30' } })

    await wrapper.find('[data-test=insights-range]').setValue('30')
    await flushPromises()
    const last = getInsights.mock.calls.at(-1)![0]
    expect(last.dest).toBe('production')
    expect(last.from).toBe(fromForDays(last.to!, 30))
  })

  it('says why when the figures cannot be loaded', async () => {
    const { ApiProblem } = await import('../api/http')
    getInsights.mockRejectedValue(new ApiProblem(400, 'Invalid request', 'from (2026-11-30) is after to (2026-11-01).'))
    const wrapper = mount(InsightsPage)
    await flushPromises()
    expect(wrapper.find('[data-test=insights-error]').text()).toContain('from (2026-11-30) is after to')
  })
})
