// The repos a dependency may be chosen from, prepared once per list of names: sorted, with their
// lower-case forms for matching. Every row's selector gets the same array (the table keeps it
// stable across versions that did not change the names), so this runs once, not once per row.

export interface Candidates {
  /** The names, sorted. */
  sorted: readonly string[]
  /** sorted[i] in lower case. */
  lower: readonly string[]
}

const collator = new Intl.Collator()

const cache = new WeakMap<readonly string[], Candidates>()

export function candidatesOf(names: readonly string[]): Candidates {
  let found = cache.get(names)
  if (!found) {
    const sorted = [...names].sort(collator.compare)
    found = { sorted, lower: sorted.map((name) => name.toLowerCase()) }
    cache.set(names, found)
  }
  return found
}

const sets = new WeakMap<readonly string[], ReadonlySet<string>>()

/** The same Set for the same array. */
export function setOf(names: readonly string[]): ReadonlySet<string> {
  let found = sets.get(names)
  if (!found) {
    found = new Set(names)
    sets.set(names, found)
  }
  return found
}

/**
 * The candidates `text` matches (any case, anywhere in the name), skipping `skip`, at most `limit`
 * of them; `total` counts every match.
 */
export function matchCandidates(
  candidates: Candidates,
  text: string,
  skip: (name: string) => boolean,
  limit: number,
): { names: string[]; total: number } {
  const needle = text.trim().toLowerCase()
  const names: string[] = []
  let total = 0
  for (let i = 0; i < candidates.sorted.length; i++) {
    const name = candidates.sorted[i]!
    if (skip(name)) continue
    if (needle && !candidates.lower[i]!.includes(needle)) continue
    total++
    if (names.length < limit) names.push(name)
  }
  return { names, total }
}
