-- The release index, the history and the chat outbox on PostgreSQL (the same columns as on
-- SQLite, so one set of queries serves both). Safe to run on every start.
CREATE TABLE IF NOT EXISTS release_index
(
    id              text PRIMARY KEY,
    source_branch   text NOT NULL,
    dest_branch     text NOT NULL,
    status          text NOT NULL,
    repo_count      integer NOT NULL,
    commit_count    integer NOT NULL,
    created_by      text NOT NULL,
    created_at      text NOT NULL,
    dev_approved    integer NOT NULL,
    qa_approved     integer NOT NULL,
    search_text     text NOT NULL,
    version         bigint NOT NULL,
    storage_version bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_release_index_newest ON release_index (created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS release_history
(
    release_id text NOT NULL,
    version    bigint NOT NULL,
    at         text NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    detail     text NOT NULL,
    changes    text NULL,          -- JSON [{field, before, after}], NULL when none
    PRIMARY KEY (release_id, version)
);

-- The actor's stable id (issuer|sub, dev:NAME, service:NAME); NULL for entries written before it was recorded.
ALTER TABLE release_history ADD COLUMN IF NOT EXISTS actor_id text NULL;
-- Databases made before history entries kept their changes.
ALTER TABLE release_history ADD COLUMN IF NOT EXISTS changes text NULL;

CREATE TABLE IF NOT EXISTS chat_outbox
(
    release_id   text NOT NULL,
    version      bigint NOT NULL,
    kind         text NOT NULL,
    detail       text NOT NULL,
    channel_id   text NULL,
    created_at   text NOT NULL,
    attempted_at text NULL,
    delivered_at text NULL,
    post_id      text NULL,
    PRIMARY KEY (release_id, version)
);

CREATE INDEX IF NOT EXISTS ix_chat_outbox_pending ON chat_outbox (created_at) WHERE delivered_at IS NULL AND channel_id IS NOT NULL;

-- Failed deliveries of chat notices: each is tried again with a growing delay, and given up
-- (failed_at set, shown on /readyz) after a bounded number of attempts. A table of its own so
-- that databases made before it need no change to chat_outbox.
CREATE TABLE IF NOT EXISTS chat_outbox_attempts
(
    release_id      text NOT NULL,
    version         bigint NOT NULL,
    attempts        integer NOT NULL,     -- failed deliveries so far
    next_attempt_at text NULL,             -- not before this time (ISO-8601 UTC)
    failed_at       text NULL,             -- given up: no more attempts
    last_error      text NULL,             -- Mattermost's status and error id, never the token
    PRIMARY KEY (release_id, version)
);

CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name text PRIMARY KEY,
    xml  text NOT NULL
);

-- GitHub answers kept with their ETag (see GitHubResponseCache).
CREATE TABLE IF NOT EXISTS github_response_cache
(
    request_key  text PRIMARY KEY,
    etag         text NOT NULL,
    status       integer NOT NULL,
    content_type text,
    headers      text NOT NULL,
    body         bytea NOT NULL,
    stored_at    text NOT NULL
);

-- GitHub commit statuses: the outbox (see the SQLite schema) and the last status set per commit.
CREATE TABLE IF NOT EXISTS commit_status_outbox
(
    release_id        text PRIMARY KEY,
    version           bigint NOT NULL,
    delivered_version bigint NOT NULL,
    attempts          integer NOT NULL,
    next_attempt_at   text NULL,
    last_error        text NULL
);

CREATE INDEX IF NOT EXISTS ix_commit_status_outbox_owed ON commit_status_outbox (next_attempt_at) WHERE version > delivered_version;

CREATE TABLE IF NOT EXISTS commit_status_sent
(
    repo        text NOT NULL,
    sha         text NOT NULL,
    context     text NOT NULL,
    state       text NOT NULL,
    description text NOT NULL,
    target_url  text NOT NULL,
    release_id  text NOT NULL,
    sent_at     text NOT NULL,
    PRIMARY KEY (repo, sha, context)
);

-- The gate index (see the SQLite schema and SqlGateIndex).
CREATE TABLE IF NOT EXISTS release_gate
(
    release_id  text NOT NULL,
    repo        text NOT NULL,
    repo_key    text NOT NULL,
    dest_branch text NOT NULL,
    sha         text NOT NULL,
    is_excluded integer NOT NULL,
    PRIMARY KEY (release_id, repo)
);

-- One secondary index serves both the gate (repo_key = ? AND dest_branch = ?) and the search by a
-- repo name (repo_key IN ...): each index a publication of 3,000 repos must update costs it 3,000
-- scattered index writes, so the two earlier ones (dest_branch, repo_key) and (repo_key) became this.
DROP INDEX IF EXISTS ix_release_gate_lookup;
DROP INDEX IF EXISTS ix_release_gate_repo;
CREATE INDEX IF NOT EXISTS ix_release_gate_key ON release_gate (repo_key, dest_branch);

CREATE TABLE IF NOT EXISTS release_gate_version
(
    release_id      text PRIMARY KEY,
    storage_version bigint NOT NULL
);

-- Search by repo name (see SqlRepoNameIndex): every repo name (release_gate.repo_key) any
-- release has held, so a search scans a few thousand names, not every (release, repo) row; the
-- releases holding a matching name are then found through ix_release_gate_key. The index row's
-- search_text no longer lists repo names. Filled once from the gate rows written before it.
CREATE TABLE IF NOT EXISTS repo_names
(
    name text PRIMARY KEY
);

INSERT INTO repo_names (name)
SELECT DISTINCT repo_key FROM release_gate WHERE NOT EXISTS (SELECT 1 FROM repo_names)
ON CONFLICT DO NOTHING;

-- The commits of a repo between a release's recorded base and head commits (GET .../repos/{name}/commits),
-- kept once read: the pair of commits never changes what lies between them, so the list stays
-- readable after the branches move on or are deleted. commits: JSON, newest first, at most 250.
CREATE TABLE IF NOT EXISTS repo_commits
(
    source   text NOT NULL,   -- github, local
    repo     text NOT NULL,   -- the repo's name in its source (no prefix)
    base_sha text NOT NULL,
    head_sha text NOT NULL,
    total    integer NOT NULL,
    commits  text NOT NULL,
    read_at  text NOT NULL,
    PRIMARY KEY (source, repo, base_sha, head_sha)
);

-- GitHub webhook deliveries acted on (their X-GitHub-Delivery id, and the SHA-256 of the signed
-- body), kept a day (Releases:GitHub:WebhookReplayWindow) so a replayed delivery is ignored.
CREATE TABLE IF NOT EXISTS webhook_delivery
(
    delivery_key text PRIMARY KEY,   -- id:<X-GitHub-Delivery> or sha256:<hex of the body>
    received_at  text NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_webhook_delivery_received_at ON webhook_delivery (received_at);

-- The audit stream and the insights read the history by time (GET /api/audit, GET /api/insights).
CREATE INDEX IF NOT EXISTS ix_release_history_at ON release_history (at);
