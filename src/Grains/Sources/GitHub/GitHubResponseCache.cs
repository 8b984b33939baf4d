using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Octokit.Caching;
using IRequest = Octokit.Internal.IRequest;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Octokit's response cache (<see cref="CachingHttpClient"/> asks it) kept in the service's database
/// (SQLite or PostgreSQL), so ETags outlive a restart: a repeated request carries <c>If-None-Match</c>, and a 304
/// (free of rate limit) is answered from here. Writes are batched by one background writer, so
/// hundreds of answers arriving together cost one transaction instead of hundreds of waits for
/// the disk; an answer not yet written is served from memory meanwhile.
/// <para>
/// Bounded: <c>stored_at</c> is when an answer was last stored or used, and the writer prunes
/// (every <see cref="GitHubCacheOptions.CachePruneEvery"/>) answers unused for
/// <see cref="GitHubCacheOptions.CacheUnusedFor"/> and the least recently used beyond
/// <see cref="GitHubCacheOptions.CacheMaxEntries"/>.
/// </para>
/// </summary>
public sealed class GitHubResponseCache : IResponseCache, IAsyncDisposable
{
    /// <summary>The headers an answer from the cache needs: Octokit reads its ETag and page links from them.</summary>
    private static readonly string[] KeptHeaders = ["ETag", "Link", "Last-Modified"];

    private readonly IReleaseDatabase _database;
    private readonly ILogger<GitHubResponseCache> _logger;
    private readonly ConcurrentDictionary<string, Entry> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly GitHubCacheOptions _bounds;
    private readonly TimeProvider _clock;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public GitHubResponseCache(IReleaseDatabase database, ILogger<GitHubResponseCache> logger,
        Microsoft.Extensions.Options.IOptions<GitHubCacheOptions>? bounds = null, TimeProvider? clock = null)
    {
        _database = database;
        _logger = logger;
        _bounds = bounds?.Value ?? new GitHubCacheOptions();
        _clock = clock ?? TimeProvider.System;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>An answer waiting to be written; <paramref name="StoredAt"/> is when it arrived, whenever the writer gets to it.</summary>
    private sealed record Entry(string Key, string ETag, int Status, string? ContentType, string Headers, byte[] Body, DateTimeOffset StoredAt);

    public async Task<CachedResponse.V1?> GetAsync(IRequest request)
    {
        var key = KeyOf(request);
        var entry = _pending.TryGetValue(key, out var pending) ? pending : await ReadAsync(key);
        if (entry is null)
        {
            return null;
        }

        _used[key] = _clock.GetUtcNow(); // its stored_at moves to this moment with the next write, so a used answer is not pruned
        _signal.Release();

        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(entry.Headers) ?? [];
        return new CachedResponse.V1(Decompress(entry.Body), headers, null, (HttpStatusCode)entry.Status, entry.ContentType);
    }

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        // Only text answers with an ETag are worth keeping: without one GitHub cannot answer 304.
        if (cachedResponse.Body is not string body
            || cachedResponse.Headers.FirstOrDefault(h => h.Key.Equals("ETag", StringComparison.OrdinalIgnoreCase)).Value is not { Length: > 0 } etag)
        {
            return Task.CompletedTask;
        }

        var headers = cachedResponse.Headers
            .Where(h => KeptHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value);
        var key = KeyOf(request);
        _pending[key] = new Entry(key, etag, (int)cachedResponse.StatusCode, cachedResponse.ContentType,
            JsonSerializer.Serialize(headers), Compress(body), _clock.GetUtcNow());
        _signal.Release();
        return Task.CompletedTask;
    }

    /// <summary>Writes what is still pending; for tests and shutdown.</summary>
    public async Task FlushAsync()
    {
        var batch = _pending.Values.ToList();
        var used = _used.ToList();
        foreach (var use in used)
        {
            _used.TryRemove(use); // only if not used again meanwhile: that later use is written next time
        }

        if (batch.Count == 0 && used.Count == 0)
        {
            return;
        }

        await WriteAsync(batch, used);
        foreach (var entry in batch)
        {
            // Removed only if no newer answer for the same request came in meanwhile.
            _pending.TryRemove(KeyValuePair.Create(entry.Key, entry));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _writer;
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await FlushAsync();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not keep {Count} GitHub answers for their ETags", _pending.Count);
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// The names of the answers kept whose URL is <paramref name="prefix"/>, a name without '/', then
    /// <paramref name="suffix"/> (e.g. every repo whose source branch's head was read before): one query.
    /// </summary>
    public async Task<HashSet<string>> NamesKeptAsync(string prefix, string suffix, CancellationToken cancellationToken = default)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Take(string key)
        {
            var at = key.IndexOf(" " + prefix, StringComparison.Ordinal);
            if (at >= 0 && key.EndsWith(suffix, StringComparison.Ordinal) && at + 1 + prefix.Length <= key.Length - suffix.Length
                && key[(at + 1 + prefix.Length)..^suffix.Length] is { Length: > 0 } name && !name.Contains('/'))
            {
                names.Add(Uri.UnescapeDataString(name));
            }
        }

        foreach (var key in _pending.Keys)
        {
            Take(key);
        }

        static string Like(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
        await using var connection = _database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = @"SELECT request_key FROM github_response_cache WHERE request_key LIKE @pattern ESCAPE '\';";
        command.With("pattern", $"% {Like(prefix)}%{Like(suffix)}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Take(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The same request is the same URL asked for the same representation.</summary>
    private static string KeyOf(IRequest request)
    {
        var accept = request.Headers.TryGetValue("Accept", out var value) ? value : "";
        return $"{accept} {new Uri(request.BaseAddress, request.Endpoint).AbsoluteUri}";
    }

    private async Task WriteLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stopping.Token);
            try
            {
                await FlushAsync();
                if (_clock.GetUtcNow() - _lastPrune >= _bounds.CachePruneEvery)
                {
                    await PruneAsync();
                }
            }
            catch (Exception ex)
            {
                // A lost cache row only costs one full answer later; the entries stay pending for the next try.
                _logger.LogWarning(ex, "Could not keep GitHub answers for their ETags");
            }
        }
    }

    /// <summary>Removes answers unused for <see cref="GitHubCacheOptions.CacheUnusedFor"/>, then the least recently used beyond <see cref="GitHubCacheOptions.CacheMaxEntries"/>; answers how many.</summary>
    public async Task<int> PruneAsync()
    {
        _lastPrune = _clock.GetUtcNow();
        await using var connection = _database.Open();
        await using var stale = connection.CreateCommand();
        stale.CommandText = "DELETE FROM github_response_cache WHERE stored_at < @cutoff;";
        stale.With("cutoff", TimeText(_clock.GetUtcNow() - _bounds.CacheUnusedFor));
        var removed = await stale.ExecuteNonQueryAsync();

        // The stored_at of the newest answer beyond the cap: it and everything older go.
        await using var beyond = connection.CreateCommand();
        beyond.CommandText = "SELECT stored_at FROM github_response_cache ORDER BY stored_at DESC, request_key DESC LIMIT 1 OFFSET @max;";
        beyond.With("max", Math.Max(0, _bounds.CacheMaxEntries));
        if (await beyond.ExecuteScalarAsync() is string cutoff)
        {
            await using var over = connection.CreateCommand();
            over.CommandText = "DELETE FROM github_response_cache WHERE stored_at <= @cutoff;";
            over.With("cutoff", cutoff);
            removed += await over.ExecuteNonQueryAsync();
        }

        if (removed > 0)
        {
            _logger.LogInformation("Pruned {Count} GitHub answers from the response cache", removed);
        }

        return removed;
    }

    private static string TimeText(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task WriteAsync(IReadOnlyList<Entry> batch, IReadOnlyList<KeyValuePair<string, DateTimeOffset>> used)
    {
        await using var connection = _database.Open();
        await using var transaction = await connection.BeginTransactionAsync();
        // Times are those of the answer and of the use, not of this write: a write that runs late
        // (the writer is in the background) must not make an unused answer look recently used.
        foreach (var (key, usedAt) in used)
        {
            await using var touch = connection.CreateCommand();
            touch.CommandText = "UPDATE github_response_cache SET stored_at = @storedAt WHERE request_key = @key AND stored_at < @storedAt;";
            touch.With("storedAt", TimeText(usedAt)).With("key", key);
            await touch.ExecuteNonQueryAsync();
        }

        foreach (var entry in batch)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO github_response_cache (request_key, etag, status, content_type, headers, body, stored_at)
                VALUES (@key, @etag, @status, @contentType, @headers, @body, @storedAt)
                ON CONFLICT (request_key) DO UPDATE SET etag = excluded.etag, status = excluded.status,
                    content_type = excluded.content_type, headers = excluded.headers, body = excluded.body, stored_at = excluded.stored_at;
                """;
            command.With("key", entry.Key);
            command.With("etag", entry.ETag);
            command.With("status", entry.Status);
            command.With("contentType", entry.ContentType);
            command.With("headers", entry.Headers);
            command.With("body", entry.Body);
            command.With("storedAt", TimeText(entry.StoredAt));
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task<Entry?> ReadAsync(string key)
    {
        await using var connection = _database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, status, content_type, headers, body FROM github_response_cache WHERE request_key = @key;";
        command.With("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new Entry(key, reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3), (byte[])reader.GetValue(4), StoredAt: default); // read answers are never written back
    }

    private static byte[] Compress(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static string Decompress(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
