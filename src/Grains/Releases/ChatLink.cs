namespace OrleansReleases.Grains.Releases;

/// <summary>The chat channel of a release and its summary post (null until posted).</summary>
[GenerateSerializer, Immutable]
public sealed record ChatLink(string ChannelId, string? PostId);
