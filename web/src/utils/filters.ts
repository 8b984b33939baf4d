// The release list's filters: how they map to GET /api/releases and to the page's URL, and
// whether a live summary belongs in the list on screen.
import type { ReleaseQuery, ReleaseStatus, ReleaseSummary } from '../api/types'
import { releaseStatuses } from '../api/types'

export interface ListFilters {
  status: ReleaseStatus | ''
  /** "source→dest", or '' for every branch pair */
  pair: string
  search: string
}

export const emptyFilters = (): ListFilters => ({ status: '', pair: '', search: '' })

export const pairSeparator = '→'

export function pairKey(source: string, dest: string): string {
  return `${source}${pairSeparator}${dest}`
}

export function splitPair(pair: string): { source: string; dest: string } | null {
  const at = pair.indexOf(pairSeparator)
  if (at <= 0 || at === pair.length - 1) {
    return null
  }
  return { source: pair.slice(0, at), dest: pair.slice(at + pairSeparator.length) }
}

export function toQuery(filters: ListFilters, limit: number, cursor?: string | null): ReleaseQuery {
  const query: ReleaseQuery = { limit }
  if (filters.status) {
    query.status = filters.status
  }
  const pair = splitPair(filters.pair)
  if (pair) {
    query.source = pair.source
    query.dest = pair.dest
  }
  const search = filters.search.trim()
  if (search) {
    query.search = search
  }
  if (cursor) {
    query.cursor = cursor
  }
  return query
}

type RouteQuery = Record<string, unknown>

const first = (value: unknown): string => {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v : ''
}

/** Filters from the page URL (?status=&source=&dest=&search=), so a reload or a shared link keeps them. */
export function filtersFromRoute(query: RouteQuery): ListFilters {
  const status = first(query.status)
  const source = first(query.source)
  const dest = first(query.dest)
  return {
    status: (releaseStatuses as readonly string[]).includes(status) ? (status as ReleaseStatus) : '',
    pair: source && dest ? pairKey(source, dest) : '',
    search: first(query.search),
  }
}

export function filtersToRoute(filters: ListFilters): Record<string, string> {
  const query: Record<string, string> = {}
  if (filters.status) query.status = filters.status
  const pair = splitPair(filters.pair)
  if (pair) {
    query.source = pair.source
    query.dest = pair.dest
  }
  if (filters.search.trim()) query.search = filters.search.trim()
  return query
}

/**
 * Whether a summary belongs under the filters: true or false when the summary alone tells,
 * 'unknown' when a search is active (the service also searches notes and repo names, which a
 * summary does not carry).
 */
export function matchesFilters(summary: ReleaseSummary, filters: ListFilters): boolean | 'unknown' {
  if (filters.status && summary.status !== filters.status) {
    return false
  }
  const pair = splitPair(filters.pair)
  if (pair && (summary.sourceBranch !== pair.source || summary.destBranch !== pair.dest)) {
    return false
  }
  const search = filters.search.trim().toLowerCase()
  if (!search) {
    return true
  }
  const visible = [summary.id, summary.sourceBranch, summary.destBranch, summary.createdBy]
  return visible.some((text) => text.toLowerCase().includes(search)) ? true : 'unknown'
}

/**
 * Puts a live summary into the list on screen: replaces its row when present, removes its row
 * when it no longer matches the filters, and inserts a new matching one where its creation time
 * puts it (newest first: a new release lands at the top). One older than every loaded row is
 * only added when the whole list is loaded (`complete`); otherwise "Load more" will bring it.
 * Returns the new list (the old one is not changed).
 */
export function applySummary(
  list: ReleaseSummary[],
  summary: ReleaseSummary,
  filters: ListFilters,
  complete = true,
): ReleaseSummary[] {
  const index = list.findIndex((row) => row.id === summary.id)
  const matches = matchesFilters(summary, filters)
  if (index >= 0) {
    if (matches === false) {
      return list.filter((row) => row.id !== summary.id)
    }
    const next = list.slice()
    next[index] = summary
    return next
  }
  if (matches !== true) {
    return list
  }
  const created = Date.parse(summary.createdAt)
  const at = list.findIndex((row) => Date.parse(row.createdAt) < created)
  if (at >= 0) {
    return [...list.slice(0, at), summary, ...list.slice(at)]
  }
  return complete ? [...list, summary] : list
}
