import { describe, expect, it } from 'vitest'
import { applySummary, emptyFilters, filtersFromRoute, toQuery } from '../utils/filters'
import { relativeTime } from '../utils/time'
import { summary } from './fixtures'

describe('filters', () => {
  it('reads only valid values from the URL', () => {
    expect(filtersFromRoute({ status: 'bogus', source: 'uat' })).toEqual(emptyFilters())
    expect(filtersFromRoute({ status: 'approved', source: 'uat', dest: 'master' })).toEqual({
      status: 'approved',
      pair: 'uat→master',
      search: '',
    })
  })

  it('maps to the list query', () => {
    expect(toQuery({ status: '', pair: 'dev→uat', search: '  x ' }, 10, 'c')).toEqual({
      limit: 10,
      source: 'dev',
      dest: 'uat',
      search: 'x',
      cursor: 'c',
    })
  })

  it('inserts a live release by creation time, and not beyond the loaded page', () => {
    const list = [summary({ id: 'b', createdAt: '2026-11-24T12:00:00Z' }), summary({ id: 'c', createdAt: '2026-11-24T10:00:00Z' })]
    const middle = summary({ id: 'm', createdAt: '2026-11-24T11:00:00Z' })
    expect(applySummary(list, middle, emptyFilters()).map((row) => row.id)).toEqual(['b', 'm', 'c'])
    const old = summary({ id: 'o', createdAt: '2026-01-01T00:00:00Z' })
    expect(applySummary(list, old, emptyFilters(), false)).toBe(list)
    expect(applySummary(list, old, emptyFilters(), true).map((row) => row.id)).toEqual(['b', 'c', 'o'])
  })

  it('leaves a new release out when a search is active that the summary cannot decide', () => {
    const filters = { ...emptyFilters(), search: 'payments' }
    expect(applySummary([], summary({ id: 'n' }), filters)).toEqual([])
    expect(applySummary([], summary({ id: 'n', createdBy: 'payments-bot' }), filters)).toHaveLength(1)
  })
})

describe('relative time', () => {
  const now = Date.parse('2026-11-24T12:00:00Z')
  it('reads like a person would say it', () => {
    expect(relativeTime('2026-11-24T11:59:30Z', now)).toBe('just now')
    expect(relativeTime('2026-11-24T11:55:00Z', now)).toBe('5 min ago')
    expect(relativeTime('2026-11-24T10:00:00Z', now)).toBe('2h ago')
    expect(relativeTime('2026-11-24T10:00:00Z', now, 'long')).toBe('2 hours ago')
    expect(relativeTime('2026-11-23T11:00:00Z', now, 'long')).toBe('1 day ago')
    expect(relativeTime('2026-11-22T12:00:00Z', now)).toBe('2d ago')
  })
})
