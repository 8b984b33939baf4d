import { request } from './http'
import type { InsightsReport } from './types'

/** What the Insights page asks for: a destination branch (all when empty) and UTC days, ISO dates, both included. */
export interface InsightsQuery {
  dest?: string
  from?: string
  to?: string
}

export function getInsights(query: InsightsQuery, signal?: AbortSignal): Promise<InsightsReport> {
  const q: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value) q[key] = value
  }
  return request<InsightsReport>('GET', '/api/insights', { query: q, signal })
}
