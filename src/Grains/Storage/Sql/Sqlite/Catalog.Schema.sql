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
    search_text     TEXT NOT NULL,   -- lower-cased id, branches, notes and creator (repo names: repo_names)
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
    changes    TEXT NULL,          -- JSON [{field, before, after}], NULL when none
    PRIMARY KEY (release_id, version)
) WITHOUT ROWID;

-- release_history.actor_id TEXT NULL: the actor's stable id (issuer|sub, dev:NAME, service:NAME);
-- NULL for entries written before it was recorded. SQLite has no ADD COLUMN IF NOT EXISTS, so
-- SqliteDatabase.EnsureCreated adds it (after this script) when pragma_table_info lacks it.

-- The chat outbox: notices ("ready to deploy", "approvals dismissed") written in the same
-- transaction as the change's history, delivered by the chat bot exactly once. A notice of a
-- release without a channel keeps channel_id NULL and is never delivered.
CREATE TABLE IF NOT EXISTS chat_outbox
(
    release_id   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    detail       TEXT NOT NULL,
    channel_id   TEXT NULL,
    created_at   TEXT NOT NULL,
    attempted_at TEXT NULL,     -- set before the post is sent: after a crash, look before posting again
    delivered_at TEXT NULL,
    post_id      TEXT NULL,
    PRIMARY KEY (release_id, version)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_chat_outbox_pending ON chat_outbox (delivered_at) WHERE delivered_at IS NULL AND channel_id IS NOT NULL;

-- Failed deliveries of chat notices: each is tried again with a growing delay, and given up
-- (failed_at set, shown on /readyz) after a bounded number of attempts. A table of its own so
-- that databases made before it need no change to chat_outbox.
CREATE TABLE IF NOT EXISTS chat_outbox_attempts
(
    release_id      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,     -- failed deliveries so far
    next_attempt_at TEXT NULL,             -- not before this time (ISO-8601 UTC)
    failed_at       TEXT NULL,             -- given up: no more attempts
    last_error      TEXT NULL,             -- Mattermost's status and error id, never the token
    PRIMARY KEY (release_id, version)
) WITHOUT ROWID;

-- ASP.NET Core data-protection keys (they sign session cookies): kept with the data, so every
-- silo of a cluster, and this node after a move, reads the same keys.
CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name TEXT PRIMARY KEY,
    xml  TEXT NOT NULL
);

-- GitHub commit statuses (release-gate/<dest>): one row per release, raised to the release's
-- version in the transaction that publishes each change (only while statuses are on), and
-- delivered_version raised once GitHub holds the statuses of that version. A row with
-- version > delivered_version is owed to GitHub; the sweep finds it after a crash.
CREATE TABLE IF NOT EXISTS commit_status_outbox
(
    release_id        TEXT PRIMARY KEY,
    version           INTEGER NOT NULL,
    delivered_version INTEGER NOT NULL,
    attempts          INTEGER NOT NULL,  -- failed deliveries since the last success (for the back-off)
    next_attempt_at   TEXT NULL,         -- not before this time (ISO-8601 UTC); NULL: at once
    last_error        TEXT NULL          -- GitHub's status and message, never the token
);

CREATE INDEX IF NOT EXISTS ix_commit_status_outbox_owed ON commit_status_outbox (next_attempt_at) WHERE version > delivered_version;

-- The last status this service set on each (repo, sha, context), so a change that leaves a
-- status as it was (notes edited) costs GitHub no request.
CREATE TABLE IF NOT EXISTS commit_status_sent
(
    repo        TEXT NOT NULL,   -- owner/name
    sha         TEXT NOT NULL,
    context     TEXT NOT NULL,
    state       TEXT NOT NULL,
    description TEXT NOT NULL,
    target_url  TEXT NOT NULL,
    release_id  TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (repo, sha, context)
) WITHOUT ROWID;

-- The gate index (GET /api/gate): one row per repo of each release, replaced in the transaction
-- that publishes each change of the release (see SqlGateIndex). release_gate_version holds the
-- grain-storage version the rows were written from, so a late publish never brings older rows
-- back; a release in release_index without it was stored before the gate and is filled at start-up.
CREATE TABLE IF NOT EXISTS release_gate
(
    release_id  TEXT NOT NULL,
    repo        TEXT NOT NULL,     -- as the release names it (github/auth-service when two sources have it)
    repo_key    TEXT NOT NULL,     -- lower-cased, without a source prefix: what the gate looks up
    dest_branch TEXT NOT NULL,
    sha         TEXT NOT NULL,     -- the repo's head commit in the release, lower-case
    is_excluded INTEGER NOT NULL,
    PRIMARY KEY (release_id, repo)
) WITHOUT ROWID;

-- One secondary index serves both the gate (repo_key = ? AND dest_branch = ?) and the search by a
-- repo name (repo_key IN ...): each index a publication of 3,000 repos must update costs it 3,000
-- scattered index writes, so the two earlier ones (dest_branch, repo_key) and (repo_key) became this.
DROP INDEX IF EXISTS ix_release_gate_lookup;
DROP INDEX IF EXISTS ix_release_gate_repo;
CREATE INDEX IF NOT EXISTS ix_release_gate_key ON release_gate (repo_key, dest_branch);

CREATE TABLE IF NOT EXISTS release_gate_version
(
    release_id      TEXT PRIMARY KEY,
    storage_version INTEGER NOT NULL
);

-- Search by repo name (see SqlRepoNameIndex): every repo name (release_gate.repo_key) any
-- release has held, so a search scans a few thousand names, not every (release, repo) row; the
-- releases holding a matching name are then found through ix_release_gate_key. The index row's
-- search_text no longer lists repo names. Filled once from the gate rows written before it.
CREATE TABLE IF NOT EXISTS repo_names
(
    name TEXT PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO repo_names (name)
SELECT DISTINCT repo_key FROM release_gate WHERE NOT EXISTS (SELECT 1 FROM repo_names)
ON CONFLICT DO NOTHING;

-- The commits of a repo between a release's recorded base and head commits (GET .../repos/{name}/commits),
-- kept once read: the pair of commits never changes what lies between them, so the list stays
-- readable after the branches move on or are deleted. commits: JSON, newest first, at most 250.
CREATE TABLE IF NOT EXISTS repo_commits
(
    source   TEXT NOT NULL,   -- github, local
    repo     TEXT NOT NULL,   -- the repo's name in its source (no prefix)
    base_sha TEXT NOT NULL,
    head_sha TEXT NOT NULL,
    total    INTEGER NOT NULL,
    commits  TEXT NOT NULL,
    read_at  TEXT NOT NULL,
    PRIMARY KEY (source, repo, base_sha, head_sha)
);

-- GitHub webhook deliveries acted on (their X-GitHub-Delivery id, and the SHA-256 of the signed
-- body), kept a day (Releases:GitHub:WebhookReplayWindow) so a replayed delivery is ignored.
CREATE TABLE IF NOT EXISTS webhook_delivery
(
    delivery_key TEXT PRIMARY KEY,   -- id:<X-GitHub-Delivery> or sha256:<hex of the body>
    received_at  TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_webhook_delivery_received_at ON webhook_delivery (received_at);

-- The audit stream and the insights read the history by time (GET /api/audit, GET /api/insights).
CREATE INDEX IF NOT EXISTS ix_release_history_at ON release_history (at);
