-- GitHub answers kept with their ETag: asking again with If-None-Match costs a 304, which GitHub
-- does not count against the rate limit, and the answer is read from here. One row per request
-- (Accept header and URL); see SqliteGitHubResponseCache.
CREATE TABLE IF NOT EXISTS github_response_cache
(
    request_key  TEXT PRIMARY KEY,
    etag         TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT,
    headers      TEXT NOT NULL,   -- JSON object: the headers read back from a cached answer (ETag, Link)
    body         BLOB NOT NULL,   -- the body, UTF-8 and gzip-compressed
    stored_at    TEXT NOT NULL    -- ISO-8601 UTC
) WITHOUT ROWID;
