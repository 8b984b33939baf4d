// The shapes of /work/shared/API.md ("Shapes"), as the service sends them: camelCase JSON,
// times as ISO-8601 UTC strings.

export type ReleaseStatus = 'pending' | 'approved' | 'deployed'
export const releaseStatuses: readonly ReleaseStatus[] = ['pending', 'approved', 'deployed']

export type ApprovalKind = 'dev' | 'qa'

export interface Approval {
  by: string
  at: string
}

export interface Repo {
  name: string
  commitCount: number
  contributors: string[]
  prNumber: number | null
  prUrl: string | null
  excluded: boolean
  dependsOn: string[]
  headSha: string
  /** Where the repo lives ('github', 'local'); null for releases stored before sources were recorded. This service's addition. */
  source?: string | null
}

export interface DeployOrder {
  /** Layer 1 first; the repos of one layer may deploy together. */
  layers: string[][]
  /** Names the repos of a dependency cycle; null when every repo found a layer. */
  error: string | null
}

export interface Release {
  id: string
  sourceBranch: string
  destBranch: string
  status: ReleaseStatus
  notes: string
  breakingChanges: string
  createdBy: string
  createdAt: string
  lastRefreshedAt: string
  version: number
  devApproval: Approval | null
  qaApproval: Approval | null
  repos: Repo[]
  deployOrder: DeployOrder
  warnings: string[]
}

/** A row of the release list; counts cover included repos only. */
export interface ReleaseSummary {
  id: string
  sourceBranch: string
  destBranch: string
  status: ReleaseStatus
  repoCount: number
  commitCount: number
  createdBy: string
  createdAt: string
  devApproved: boolean
  qaApproved: boolean
}

export interface ReleasePage {
  items: ReleaseSummary[]
  nextCursor: string | null
}

export interface ReleaseQuery {
  status?: ReleaseStatus
  source?: string
  dest?: string
  search?: string
  limit?: number
  cursor?: string
}

export interface HistoryEntry {
  version: number
  at: string
  actor: string
  action: string
  detail: string
}

export interface Me {
  name: string
  email: string | null
  roles: string[]
  canApproveDev: boolean
  canApproveQa: boolean
  /** True when the service runs on the sample repositories of --demo. */
  demo: boolean
}

export interface NewReleaseRequest {
  sourceBranch: string
  destBranch: string
  notes?: string
}

export interface ReleaseTextChange {
  notes?: string
  breakingChanges?: string
}

export interface RepoChange {
  excluded?: boolean
  dependsOn?: string[]
}

/** The hub's compareProgress event: how far the comparison behind a POST /api/releases is. */
export interface CompareProgress {
  progressId: string
  compared: number
  total: number
}
