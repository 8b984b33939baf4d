import { describe, expect, it } from 'vitest'
import { isNewer, keepIfSame, mergeRelease } from '../utils/releaseMerge'
import { candidatesOf, matchCandidates } from '../utils/repoCandidates'
import { filterRepos } from '../utils/repoFilters'
import { release, repo } from './fixtures'

describe('applying release versions', () => {
  it('takes only a newer version of the same release', () => {
    const shown = release({ version: 4 })
    expect(isNewer(release({ version: 5 }), shown)).toBe(true)
    expect(isNewer(release({ version: 4 }), shown)).toBe(false) // the echo of what is shown
    expect(isNewer(release({ version: 3 }), shown)).toBe(false)
    expect(isNewer(release({ id: 'r2', version: 1 }), shown)).toBe(true)
    expect(isNewer(release(), null)).toBe(true)
  })

  it('keeps the objects of the repos that did not change', () => {
    const before = release({ repos: [repo('a'), repo('b', { dependsOn: ['a'] }), repo('c')] })
    const next = release({
      version: 2,
      repos: [repo('a'), repo('b', { dependsOn: ['a'] }), repo('c', { excluded: true })],
    })
    const merged = mergeRelease(before, next)
    expect(merged.version).toBe(2)
    expect(merged.repos[0]).toBe(before.repos[0])
    expect(merged.repos[1]).toBe(before.repos[1])
    expect(merged.repos[2]).toBe(next.repos[2])
    expect(merged.repos[2]!.excluded).toBe(true)

    const same = mergeRelease(merged, release({ version: 3, repos: next.repos.map((r) => ({ ...r })) }))
    expect(same.repos).toBe(merged.repos) // nothing changed: the same array
    expect(mergeRelease(before, release({ version: 2, repos: [repo('a'), repo('b', { dependsOn: ['c'] })] })).repos[1]!.dependsOn).toEqual(['c'])
  })

  it('keeps a derived list while its items are the same', () => {
    const first = ['a', 'b']
    expect(keepIfSame(first, ['a', 'b'])).toBe(first)
    expect(keepIfSame(first, ['a', 'c'])).toEqual(['a', 'c'])
  })
})

describe('finding repos', () => {
  it('prepares the candidates once per list and matches without case', () => {
    const names = ['b-svc', 'A-svc', 'c-api']
    expect(candidatesOf(names)).toBe(candidatesOf(names))
    expect(candidatesOf(names).sorted).toEqual(['A-svc', 'b-svc', 'c-api'])
    expect(matchCandidates(candidatesOf(names), 'SVC', (n) => n === 'b-svc', 10)).toEqual({ names: ['A-svc'], total: 1 })
    expect(matchCandidates(candidatesOf(names), '', () => false, 2)).toEqual({ names: ['A-svc', 'b-svc'], total: 3 })
  })

  it('filters repos by name and state', () => {
    const repos = [repo('auth'), repo('api', { excluded: true }), repo('web', { commitCount: 0 })]
    expect(filterRepos(repos, '', 'all')).toBe(repos)
    expect(filterRepos(repos, 'A', 'all').map((r) => r.name)).toEqual(['auth', 'api'])
    expect(filterRepos(repos, '', 'excluded').map((r) => r.name)).toEqual(['api'])
    expect(filterRepos(repos, '', 'changed').map((r) => r.name)).toEqual(['auth', 'api'])
    expect(filterRepos(repos, '', 'stale')).toEqual([])
  })
})
