import type { Repo } from '../api/types'

/** From how many repos the repo table has a filter bar, and the page a summary bar on top. */
export const FILTER_FROM = 15
/** From how many repos the repo table scrolls in its own box and renders only the rows on screen. */
export const VIRTUAL_FROM = 60

// Which repos of a release the table shows: a name filter and one state. Some states come from
// fields the API does not send yet; they are read loosely here so they light up once it does.

/** `repo.stale`: the last comparison could not reach the repo; it keeps its earlier data. */
export function isStale(repo: Repo): boolean {
  return repo.stale === true
}

/** Failing checks: the CI checks of the repo's head commit fail (`checks.state === 'failure'`). */
export function hasFailingChecks(repo: Repo): boolean {
  return repo.checks?.state === 'failure'
}

/** Whether the API sends a field at all (then its state is offered as a filter). */
const hasField = (repos: readonly Repo[], ...fields: string[]) =>
  repos.length > 0 && fields.some((field) => field in repos[0]!)

export type RepoState = 'all' | 'changed' | 'excluded' | 'stale' | 'failing'

export interface RepoStateInfo {
  state: RepoState
  label: string
  test: (repo: Repo) => boolean
  /** Offered only when the API sends what it needs. */
  available?: (repos: readonly Repo[]) => boolean
}

export const repoStates: readonly RepoStateInfo[] = [
  { state: 'all', label: 'All', test: () => true },
  { state: 'changed', label: 'Changed', test: (repo) => repo.commitCount > 0 },
  { state: 'excluded', label: 'Excluded', test: (repo) => repo.excluded },
  { state: 'stale', label: 'Stale', test: isStale, available: (repos) => hasField(repos, 'stale') },
  {
    state: 'failing',
    label: 'Failing checks',
    test: hasFailingChecks,
    available: (repos) => hasField(repos, 'checks', 'failingChecks'),
  },
]

export function stateInfo(state: RepoState): RepoStateInfo {
  return repoStates.find((info) => info.state === state) ?? repoStates[0]!
}

/** The repos whose name contains `text` (any case) and that are in `state`, in their order. */
export function filterRepos(repos: readonly Repo[], text: string, state: RepoState): readonly Repo[] {
  const needle = text.trim().toLowerCase()
  if (!needle && state === 'all') return repos
  const test = stateInfo(state).test
  return repos.filter((repo) => test(repo) && (!needle || repo.name.toLowerCase().includes(needle)))
}

/** How many repos are in each offered state. */
export function countStates(repos: readonly Repo[]): { info: RepoStateInfo; count: number }[] {
  return repoStates
    .filter((info) => !info.available || info.available(repos))
    .map((info) => ({ info, count: info.state === 'all' ? repos.length : repos.reduce((n, r) => n + (info.test(r) ? 1 : 0), 0) }))
}
