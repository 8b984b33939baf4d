import type { Me, Release, ReleaseChange, ReleaseSummary, Repo } from '../api/types'

export function summary(over: Partial<ReleaseSummary> = {}): ReleaseSummary {
  return {
    id: 'r1',
    sourceBranch: 'uat',
    destBranch: 'master',
    status: 'pending',
    repoCount: 3,
    commitCount: 7,
    createdBy: 'alice',
    createdAt: '2026-11-24T10:00:00Z',
    devApproved: false,
    qaApproved: false,
    ...over,
  }
}

export function repo(name: string, over: Partial<Repo> = {}): Repo {
  return {
    name,
    commitCount: 2,
    contributors: ['Alice'],
    prNumber: null,
    prUrl: null,
    excluded: false,
    dependsOn: [],
    headSha: 'abcdef0123456789',
    stale: false,
    checks: { state: 'none', failing: [], url: null },
    newSinceApproval: 0,
    ...over,
  }
}

export function release(over: Partial<Release> = {}): Release {
  return {
    id: 'r1',
    sourceBranch: 'uat',
    destBranch: 'master',
    status: 'pending',
    notes: '',
    breakingChanges: '',
    createdBy: 'alice',
    createdAt: '2026-11-24T10:00:00Z',
    lastRefreshedAt: '2026-11-24T10:00:00Z',
    version: 1,
    devApproval: null,
    qaApproval: null,
    repos: [repo('auth-service'), repo('api-gateway'), repo('user-service')],
    deployOrder: { layers: [['api-gateway', 'auth-service', 'user-service']], error: null },
    warnings: [],
    ...over,
  }
}

export function me(over: Partial<Me> = {}): Me {
  return {
    name: 'alice',
    email: 'alice@dev.invalid',
    roles: [],
    canApproveDev: false,
    canApproveQa: false,
    demo: false,
    id: 'dev:alice',
    ...over,
  }
}

/** The hub's releaseChanged event for a release (its small fields; no repos listed). */
export function changeOf(r: Release): ReleaseChange {
  return {
    id: r.id,
    version: r.version,
    status: r.status,
    sourceBranch: r.sourceBranch,
    destBranch: r.destBranch,
    lastRefreshedAt: r.lastRefreshedAt,
    repoCount: r.repos.length,
    devApproval: r.devApproval ? { by: r.devApproval.by, at: r.devApproval.at } : null,
    qaApproval: r.qaApproval ? { by: r.qaApproval.by, at: r.qaApproval.at } : null,
    changedRepos: null,
    removedRepos: null,
  }
}
