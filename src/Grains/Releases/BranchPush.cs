namespace OrleansReleases.Grains.Releases;

/// <summary>New commits on <paramref name="Branch"/> of <paramref name="Repository"/> ("owner/name"), as a webhook reported them.</summary>
public sealed record BranchPush(string Repository, string Branch);
