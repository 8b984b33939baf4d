// The approvals a release needs, in the order people read them. The one place the dashboard lists
// the kinds: a component shows every approval by walking this list, so a new kind (or a new field
// on an approval) is added here and in types.ts, not in each component's markup.
import type { Approval, ApprovalKind, Me, Release } from './types'

export interface ApprovalKindInfo {
  kind: ApprovalKind
  /** The short word ("Dev", "QA"), as in "Approve as Dev" and history entries. */
  label: string
  /** Who gives it, as the approval panel names its row. */
  giver: string
  /** Why someone without the role cannot approve. */
  needsRole: string
  /** The approval as the release answer carries it (fields devApproval, qaApproval of API.md). */
  of: (release: Release) => Approval | null
  /** Whether the signed-in user holds the role that gives it (fields canApproveDev, canApproveQa). */
  mayGive: (me: Me | null) => boolean
}

/** What the approval panel says when an approval was refused because the release moved on (412). */
export const movedOn = 'The release changed since you loaded it — review and approve again.'

export const approvalKinds: readonly ApprovalKindInfo[] = [
  {
    kind: 'dev',
    label: 'Dev',
    giver: 'Dev Lead',
    needsRole: 'Only a Dev lead can approve.',
    of: (release) => release.devApproval,
    mayGive: (me) => !!me?.canApproveDev,
  },
  {
    kind: 'qa',
    label: 'QA',
    giver: 'QA',
    needsRole: 'Only a QA engineer can approve.',
    of: (release) => release.qaApproval,
    mayGive: (me) => !!me?.canApproveQa,
  },
]
