namespace OrleansReleases.Fakes;

/// <summary>A commit of a fake repo: its sha, its author's name, and the GitHub login linked to it (if any).</summary>
public sealed record FakeCommit(string Sha, string AuthorName, string? Login, string Message, DateTimeOffset At);
