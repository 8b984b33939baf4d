import { shallowReactive } from 'vue'
import { useAction } from './useAction'
import type { Repo, RepoChange } from '../api/types'

// The changes made to repos from the table, shown at once: while a change is being saved its row
// shows the change (an exclude tick strikes the row, an added dependency is a chip) instead of
// waiting for the release to come back; on failure the row shows the release again and the
// error. One change at a time per repo (useAction keyed by name).

type Overlay = Partial<Pick<Repo, 'excluded' | 'dependsOn'>>

export function useRepoEdits(save: (name: string, patch: RepoChange) => Promise<unknown>) {
  const overlay = shallowReactive<Record<string, Overlay>>({})
  const { run, pending, errors } = useAction(save, { key: (name) => name })

  /** Shows `patch` on the row of `name` at once and saves it. True when the service took it. */
  async function change(name: string, patch: RepoChange): Promise<boolean> {
    if (pending[name]) return false
    const shown: Overlay = {}
    if (patch.excluded !== undefined && patch.excluded !== null) shown.excluded = patch.excluded
    if (patch.dependsOn) shown.dependsOn = patch.dependsOn
    overlay[name] = shown
    try {
      return await run(name, patch)
    } finally {
      delete overlay[name]
    }
  }

  /** The repo as its row shows it: the release's, with the change being saved, if any. */
  function view(repo: Repo): Repo {
    const over = overlay[repo.name]
    return over ? { ...repo, ...over } : repo
  }

  return { change, view, pending, errors }
}
