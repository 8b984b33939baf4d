import type { Release, Repo } from '../api/types'

// A release over thousands of repos arrives whole on every change (the PATCH answer, the live
// echo of the same version, a reload). Two rules keep the page cheap:
//  - a view is applied once: one whose version is not newer than the one shown is dropped;
//  - the repos that did not change keep their objects (and so their arrays), so everything keyed
//    on them (rows, dependency selectors, computed lists) sees the same props and does not re-render.

/** True when `next` should replace `shown`: another release, nothing shown yet, or a newer version. */
export function isNewer(next: Release, shown: Release | null | undefined): boolean {
  return !shown || shown.id !== next.id || next.version > shown.version
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Equal repos, field by field (arrays by their items); unknown fields too, so a new field shows. */
export function sameRepo(a: Repo, b: Repo): boolean {
  if (a === b) return true
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  for (const key of keysA) {
    const x = (a as Record<string, unknown>)[key]
    const y = (b as Record<string, unknown>)[key]
    if (x === y) continue
    if (Array.isArray(x) && Array.isArray(y) && x.every((v) => typeof v !== 'object') && sameList(x, y)) continue
    // A nested object of plain values and lists (checks: { state, failing, url }) compares the same way.
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y) && sameRepo(x as Repo, y as Repo)) continue
    return false
  }
  return true
}

/**
 * `next`, with every repo that equals its counterpart in `previous` replaced by that counterpart,
 * and the repos array itself kept when no repo changed. O(repos).
 */
export function mergeRelease(previous: Release | null | undefined, next: Release): Release {
  if (!previous || previous.id !== next.id) return next
  const before = new Map<string, Repo>()
  for (const repo of previous.repos) before.set(repo.name, repo)
  let changed = previous.repos.length !== next.repos.length
  const repos = next.repos.map((repo, index) => {
    const old = before.get(repo.name)
    if (old && sameRepo(old, repo)) {
      if (previous.repos[index] !== old) changed = true
      return old
    }
    changed = true
    return repo
  })
  return { ...next, repos: changed ? repos : previous.repos }
}

/**
 * The same list as last time when its items are equal: `stable(prev)(next)`. Lets a list derived
 * from a release (all names, excluded names) stay one array across versions that did not change it.
 */
export function keepIfSame(previous: readonly string[] | undefined, next: string[]): string[] {
  return previous && sameList(previous, next) ? (previous as string[]) : next
}
