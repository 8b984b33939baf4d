-- The release index (what the list and search read) and the history (every change, forever).
-- Both are projections of the grain state, written right after it; see SqliteReleaseCatalog.
CREATE TABLE IF NOT EXISTS release_index
(
    id              TEXT PRIMARY KEY,
    source_branch   TEXT NOT NULL,
    dest_branch     TEXT NOT NULL,
    status          TEXT NOT NULL,
    repo_count      INTEGER NOT NULL,
    commit_count    INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,   -- ISO-8601 UTC with milliseconds: sorts as text
    dev_approved    INTEGER NOT NULL,
    qa_approved     INTEGER NOT NULL,
    search_text     TEXT NOT NULL,   -- lower-cased id, branches, notes, repo names and creator
    version         INTEGER NOT NULL,
    storage_version INTEGER NOT NULL -- the grain-storage row version this row was written from
);

CREATE INDEX IF NOT EXISTS ix_release_index_newest ON release_index (created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS release_history
(
    release_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    PRIMARY KEY (release_id, version)
) WITHOUT ROWID;
