// The /api/releases calls of docs/api.md, typed from the OpenAPI document (see types.ts).
import { request } from './http'
import type {
  ApprovalKind,
  HistoryEntry,
  NewReleaseRequest,
  Release,
  ReleasePage,
  ReleaseQuery,
  ReleaseTextChange,
  RepoChange,
  RepoCommits,
} from './types'

const base = '/api/releases'
const one = (id: string) => `${base}/${encodeURIComponent(id)}`

export function listReleases(query: ReleaseQuery = {}, signal?: AbortSignal): Promise<ReleasePage> {
  return request<ReleasePage>('GET', base, { query: { ...query }, signal })
}

export function getRelease(id: string, signal?: AbortSignal): Promise<Release> {
  return request<Release>('GET', one(id), { signal })
}

export function getHistory(id: string, signal?: AbortSignal): Promise<HistoryEntry[]> {
  return request<HistoryEntry[]>('GET', `${one(id)}/history`, { signal })
}

/** Creates a release; progressId names the hub's compareProgress events for this comparison. */
export function createRelease(body: NewReleaseRequest, progressId?: string): Promise<Release> {
  return request<Release>('POST', base, {
    body,
    headers: progressId ? { 'X-Progress-Id': progressId } : undefined,
  })
}

/** Edits notes and/or breaking changes; answers 412 when the release is no longer at `version`. */
export function updateReleaseText(id: string, change: ReleaseTextChange, version: number): Promise<Release> {
  return request<Release>('PATCH', one(id), { body: change, headers: { 'If-Match': `"${version}"` } })
}

export function refreshRelease(id: string): Promise<Release> {
  return request<Release>('POST', `${one(id)}/refresh`)
}

export function updateRepo(id: string, repo: string, change: RepoChange): Promise<Release> {
  return request<Release>('PATCH', `${one(id)}/repos/${encodeURIComponent(repo)}`, { body: change })
}

/**
 * Gives an approval on the version the approver reviewed: it covers the head commits that version
 * shows, and the service answers 412 when the release has moved on since.
 */
export function approve(id: string, kind: ApprovalKind, version: number): Promise<Release> {
  return request<Release>('POST', `${one(id)}/approve/${kind}`, { headers: { 'If-Match': `"${version}"` } })
}

export function withdraw(id: string, kind: ApprovalKind): Promise<Release> {
  return request<Release>('DELETE', `${one(id)}/approve/${kind}`)
}

/** Deploys; the service compares the branches again first and answers 409 when the approvals no longer cover them. */
export function deploy(id: string): Promise<Release> {
  return request<Release>('POST', `${one(id)}/deploy`)
}

/** The commits a repo ships in the release (newest first, at most 250), read from its source on demand. */
export function listRepoCommits(id: string, repo: string, signal?: AbortSignal): Promise<RepoCommits> {
  return request<RepoCommits>('GET', `${one(id)}/repos/${encodeURIComponent(repo)}/commits`, { signal })
}

/** Release notes drafted from the commits, as Markdown; nothing is saved. */
export function getNotesDraft(id: string, signal?: AbortSignal): Promise<string> {
  return request<string>('GET', `${one(id)}/notes-draft`, { signal, as: 'text', headers: { Accept: 'text/markdown' } })
}
