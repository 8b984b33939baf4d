// Relative times: "just now", "5 min ago", "2h ago" / "2 hours ago", "3d ago", then a date.

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

export type TimeStyle = 'short' | 'long'

export function relativeTime(iso: string | null | undefined, now: number, style: TimeStyle = 'short'): string {
  if (!iso) {
    return '–'
  }
  const at = Date.parse(iso)
  if (Number.isNaN(at)) {
    return '–'
  }
  const elapsed = Math.max(0, now - at)
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`
  if (elapsed < minute) {
    return 'just now'
  }
  if (elapsed < hour) {
    const n = Math.floor(elapsed / minute)
    return `${n} min ago`
  }
  if (elapsed < day) {
    const n = Math.floor(elapsed / hour)
    return style === 'short' ? `${n}h ago` : plural(n, 'hour')
  }
  if (elapsed < 30 * day) {
    const n = Math.floor(elapsed / day)
    return style === 'short' ? `${n}d ago` : plural(n, 'day')
  }
  return new Date(at).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}

/** The full local date and time, for a title attribute next to a relative time. */
export function absoluteTime(iso: string | null | undefined): string {
  if (!iso) {
    return ''
  }
  const at = new Date(iso)
  return Number.isNaN(at.getTime())
    ? ''
    : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
