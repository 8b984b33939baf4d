// The shapes of the API (docs/api.md, "Shapes"), as the service sends them: camelCase JSON, times
// as ISO-8601 UTC strings. They are generated from the service's OpenAPI document into schema.d.ts
// (`npm run generate:api`); these are the names the dashboard uses for them.
import type { components, operations } from './schema'

type Schemas = components['schemas']

export type ReleaseStatus = Schemas['ReleaseStatus']
export const releaseStatuses: readonly ReleaseStatus[] = ['pending', 'approved', 'deploying', 'deployed']

/** The two approvals, as the {kind} of /api/releases/{id}/approve/{kind}. */
export type ApprovalKind = 'dev' | 'qa'

export type Approval = Schemas['Approval']

export type Repo = Schemas['RepoView']

/** The CI checks of a repo's head: success, failure, pending or none; failing names the failing ones. */
export type RepoChecks = Schemas['RepoChecks']

/** GET /api/releases/{id}/repos/{name}/commits: newest first, at most 250; total is exact. */
export type RepoCommits = Schemas['RepoCommits']

export type Commit = Schemas['CommitView']

/** Layer 1 first, the repos of one layer may deploy together; error names a dependency cycle. */
export type DeployOrder = Schemas['DeployOrder']

export type Release = Schemas['ReleaseView']

/** A repo's last deployment report (POST /api/releases/{id}/repos/{name}/deployment). */
export type RepoDeployment = Schemas['RepoDeployment']

export type DeploymentState = Schemas['DeploymentState']

/** GET /api/freeze: the stop-the-line switch or a freeze window in force, and each window's next occurrence. */
export type FreezeStatus = Schemas['FreezeStatus']

/** A row of the release list; counts cover included repos only. */
export type ReleaseSummary = Schemas['ReleaseSummary']

export type ReleasePage = Schemas['ReleasePage']

export type HistoryEntry = Schemas['HistoryEntry']

/** What one change did to one field (notes, breakingChanges, excluded, dependsOn, "<repo> head"). */
export type FieldChange = Schemas['FieldChange']

/** Who is signed in; demo is true when the service runs on the sample repositories of --demo. */
export type Me = Schemas['MeResponse']

export type NewReleaseRequest = Schemas['CreateReleaseRequest']

export type ReleaseTextChange = Schemas['UpdateReleaseRequest']

export type RepoChange = Schemas['UpdateRepoRequest']

type ListQuery = NonNullable<operations['ListReleases']['parameters']['query']>

/**
 * The query of GET /api/releases (operation ListReleases): its parameters, with status and limit
 * typed as the dashboard builds them (the service takes every value as text and answers 400 for a
 * bad one).
 */
export type ReleaseQuery = {
  [K in keyof ListQuery]?: K extends 'status' ? ReleaseStatus : K extends 'limit' ? number : string
}

/**
 * The hub's releaseChanged event (SignalR, not in the OpenAPI document): a release reached a new
 * version. It carries the small fields and, when that version changed at most a few repos, those
 * repos; never the whole release (hundreds of KB at thousands of repos). A page showing an older
 * version fetches GET /api/releases/{id} once for the whole.
 */
export interface ReleaseChange {
  id: string
  version: number
  status: ReleaseStatus
  sourceBranch: string
  destBranch: string
  lastRefreshedAt: string
  repoCount: number
  devApproval: { by: string; at: string } | null
  qaApproval: { by: string; at: string } | null
  /** The repos this version added or changed; null when there were too many to list (fetch to see). */
  changedRepos: Repo[] | null
  removedRepos: string[] | null
}

/** The hub's compareProgress event (SignalR, not in the OpenAPI document): how far the comparison behind a POST /api/releases is. */
export interface CompareProgress {
  progressId: string
  compared: number
  total: number
}

/** GET /api/insights: DORA figures and the gate's own, by ISO week in UTC. */
export type InsightsReport = Schemas['InsightsReport']

export type WeekCount = Schemas['WeekCount']

export type WeekDuration = Schemas['WeekDuration']
