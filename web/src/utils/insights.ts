// Turning GET /api/insights into what the Insights page shows: chart data for Chart.js and
// figures in words. Pure functions, tested without a browser.
import type { ChartData } from 'chart.js'
import type { InsightsReport } from '../api/types'

/** "2026-W48" → "W48" (the year is in the tooltip): short labels fit a phone. */
export function weekLabel(week: string): string {
  return week.replace(/^\d{4}-/, '')
}

export function deploymentsChart(report: InsightsReport): ChartData<'bar', number[], string> {
  const weeks = report.deploymentFrequency.weeks
  return {
    labels: weeks.map((w) => weekLabel(w.week)),
    datasets: [{ label: 'Deployed releases', data: weeks.map((w) => w.count), backgroundColor: '#3b6fd8' }],
  }
}

export function leadTimeChart(report: InsightsReport): ChartData<'line', (number | null)[], string> {
  const weeks = report.leadTimeForChanges.weeks
  return {
    labels: weeks.map((w) => weekLabel(w.week)),
    datasets: [
      {
        label: 'Median lead time (hours)',
        data: weeks.map((w) => (w.medianHours == null ? null : Number(w.medianHours))),
        borderColor: '#1f8a5b',
        backgroundColor: '#1f8a5b',
        spanGaps: true,
        tension: 0.2,
      },
    ],
  }
}

/** The gate's stages as one bar chart: median and 90th percentile of each. */
export function gateChart(report: InsightsReport): ChartData<'bar', (number | null)[], string> {
  const stages = [report.gate.createdToApproved, report.gate.approvedToDeployed]
  const num = (v: number | string | null | undefined) => (v == null ? null : Number(v))
  return {
    labels: ['Created → approved', 'Approved → deployed'],
    datasets: [
      { label: 'Median (hours)', data: stages.map((s) => num(s.medianHours)), backgroundColor: '#7a5cd6' },
      { label: '90th percentile (hours)', data: stages.map((s) => num(s.p90Hours)), backgroundColor: '#c9b8f5' },
    ],
  }
}

/** Hours in words: "45 min", "3.5 h", "2.1 days"; "—" when there is no measurement. */
export function formatHours(hours: number | string | null | undefined): string {
  if (hours == null) return '—'
  const h = Number(hours)
  if (h < 1) return `${Math.round(h * 60)} min`
  if (h < 48) return `${Math.round(h * 10) / 10} h`
  return `${Math.round((h / 24) * 10) / 10} days`
}

/** A share as a percentage: 0.25 → "25%"; "—" when none. */
export function formatRate(rate: number | string | null | undefined): string {
  return rate == null ? '—' : `${Math.round(Number(rate) * 1000) / 10}%`
}

/** The ISO date (UTC) `days` days before `to`, counting `to` itself as the first day. */
export function fromForDays(to: string, days: number): string {
  const end = new Date(`${to}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() - (days - 1))
  return end.toISOString().slice(0, 10)
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}
