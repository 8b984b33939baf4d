namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The rules of a release applied to its state. Each method checks everything first and only then
/// changes the state, so a refused change (a <see cref="ReleaseRuleException"/>) leaves it as it
/// was. Every accepted change bumps <see cref="ReleaseState.Version"/> by one and records one
/// history entry; a request that changes nothing (a repo update to its current values) records none.
/// </summary>
public sealed class Release(ReleaseState state, ApprovalRoles roles, TimeProvider clock)
{
    /// <summary>Longest accepted notes or breaking-changes text, in characters.</summary>
    public const int MaxTextLength = 50_000;

    public ReleaseState State => state;

    public DeployOrder DeployOrder => DeployOrder.Compute(state.Repos);

    public void Create(string id, NewRelease spec, Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings)
    {
        if (state.Exists)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"Release {id} already exists.");
        }

        EnsureTextFits("notes", spec.Notes);
        var now = Now();
        state.Id = id;
        state.SourceBranch = spec.SourceBranch;
        state.DestBranch = spec.DestBranch;
        state.Status = ReleaseStatus.Pending;
        state.Notes = spec.Notes ?? "";
        state.CreatedBy = actor.Name;
        state.CreatedById = actor.Id;
        state.CreatedAt = now;
        state.LastRefreshedAt = now;
        state.Repos = repos.Select(ReleaseRepo.From).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        state.Warnings = [.. warnings];
        state.ChatChannelId = spec.ChatChannelId;
        state.ChatPostId = spec.ChatChannelId is null ? null : spec.ChatPostId;
        Record(actor, "created",
            $"{spec.SourceBranch} → {spec.DestBranch}: {repos.Count} repos, {repos.Sum(r => r.CommitCount)} commits");
    }

    public void EditText(Actor actor, string? notes, string? breakingChanges, long? expectedVersion)
    {
        EnsureOpen();
        EnsureVersion(expectedVersion);
        if (notes is null && breakingChanges is null)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "Give notes, breakingChanges or both.");
        }

        EnsureTextFits("notes", notes);
        EnsureTextFits("breakingChanges", breakingChanges);
        var edited = new List<string>();
        if (notes is not null)
        {
            state.Notes = notes;
            edited.Add("notes");
        }

        if (breakingChanges is not null)
        {
            state.BreakingChanges = breakingChanges;
            edited.Add("breaking changes");
        }

        Record(actor, "text-edited", $"edited {string.Join(" and ", edited)}");
    }

    public void UpdateRepo(Actor actor, string repoName, bool? excluded, IReadOnlyList<string>? dependsOn, long? expectedVersion)
    {
        EnsureOpen();
        EnsureVersion(expectedVersion);
        var repo = state.FindRepo(repoName)
            ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {state.Id} has no repo '{repoName}'.");
        if (excluded is null && dependsOn is null)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "Give excluded, dependsOn or both.");
        }

        List<string>? newDependencies = null;
        if (dependsOn is not null)
        {
            if (dependsOn.Contains(repoName))
            {
                throw new ReleaseRuleException(RuleViolation.InvalidInput, $"{repoName} cannot depend on itself.");
            }

            var unknown = dependsOn.Where(name => state.FindRepo(name) is null).ToList();
            if (unknown.Count > 0)
            {
                throw new ReleaseRuleException(RuleViolation.InvalidInput,
                    $"dependsOn names repos that are not in this release: {string.Join(", ", unknown)}.");
            }

            newDependencies = dependsOn.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        var before = Snapshot();
        var changes = new List<string>();
        if (excluded is { } isExcluded && isExcluded != repo.Excluded)
        {
            repo.Excluded = isExcluded;
            changes.Add(isExcluded ? "excluded" : "included again");
        }

        if (newDependencies is not null && !newDependencies.SequenceEqual(repo.DependsOn))
        {
            repo.DependsOn = newDependencies;
            changes.Add(newDependencies.Count == 0 ? "depends on nothing" : $"depends on {string.Join(", ", newDependencies)}");
        }

        if (changes.Count == 0)
        {
            return; // nothing changed: no new version, no history entry
        }

        var dismissed = DismissStaleApprovals(before);
        Record(actor, "repo-updated", $"{repoName}: {string.Join(", ", changes)}" + Describe(dismissed));
        NotifyDismissal(dismissed);
    }

    public void Approve(Actor actor, ApprovalKind kind)
    {
        EnsureOpen();
        ApprovalRules.EnsureMayApprove(state, actor, kind, roles, DeployOrder);
        var alsoHolds = ApprovalRules.OtherApprovalHeldBy(state, actor, kind); // only when separation of duties is off
        state.Approvals.Give(kind, new Approval(actor.Name, Now(), ById: actor.Id));
        state.Status = ApprovalRules.StatusFor(state.Approvals);
        var detail = $"{kind.Label()} approval given";
        if (alsoHolds is not null)
        {
            detail += " (separation of duties is off: one person holds both approvals)";
        }

        if (state.Status == ReleaseStatus.Approved)
        {
            detail += "; release approved, ready to deploy";
        }

        Record(actor, $"approved-{kind.Slug()}", detail);
        if (state.Status == ReleaseStatus.Approved)
        {
            var by = state.Approvals.Given().Select(given => $"@{given.Approval.By} ({given.Kind.Label()})");
            Notify(NoticeKind.Ready, $"Approved by: {string.Join(", ", by)}");
        }
    }

    public void Withdraw(Actor actor, ApprovalKind kind)
    {
        EnsureOpen();
        ApprovalRules.EnsureMayWithdraw(state, actor, kind, roles);
        var withdrawn = state.Approvals.Withdraw(kind)!;
        state.Status = ApprovalRules.StatusFor(state.Approvals);
        Record(actor, $"withdrawn-{kind.Slug()}", ApprovalWithdrawal.Detail(kind, withdrawn, actor));
        if (ApprovalWithdrawal.ByOther(withdrawn, actor))
        {
            Notify(NoticeKind.ApprovalWithdrawnByOther, ApprovalWithdrawal.Detail(kind, withdrawn, actor));
        }
    }

    public void Deploy(Actor actor)
    {
        EnsureOpen();
        if (state.Status != ReleaseStatus.Approved)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                "Only an approved release can be deployed: it needs both the Dev and the QA approval.");
        }

        // Dependencies may change after the approvals; a deploy order with a cycle cannot be followed.
        if (DeployOrder.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"The deploy order has a cycle. {DeployOrder.Error}");
        }

        state.Status = ReleaseStatus.Deployed;
        var layers = DeployOrder.Layers.Select((layer, i) => $"{i + 1}) {string.Join(", ", layer)}");
        Record(actor, "deployed", $"deployed in order {string.Join(" → ", layers)}");
    }

    /// <summary>
    /// Takes in a new comparison from the source. The team's choices (excluded, dependsOn) stay
    /// with the repos that are still there; repos that no longer have changes leave the release.
    /// </summary>
    public void Refresh(Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings)
    {
        EnsureOpen();
        var before = Snapshot();
        var kept = new HashSet<string>(repos.Select(r => r.Name), StringComparer.Ordinal);
        state.Repos = repos
            .Select(change =>
            {
                var repo = ReleaseRepo.From(change);
                if (state.FindRepo(change.Name) is { } old)
                {
                    repo.Excluded = old.Excluded;
                    repo.DependsOn = old.DependsOn.Where(kept.Contains).ToList();
                }

                return repo;
            })
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        state.Warnings = [.. warnings];
        state.LastRefreshedAt = Now();

        var detail = $"compared again: {repos.Count} repos, {repos.Sum(r => r.CommitCount)} commits";
        if (warnings.Count > 0)
        {
            detail += $"; {warnings.Count} repos could not be compared";
        }

        var dismissed = DismissStaleApprovals(before);
        Record(actor, "refreshed", detail + Describe(dismissed));
        NotifyDismissal(dismissed);
    }

    /// <summary>
    /// Remembers the chat summary post the bot made for this release. Bookkeeping of the bot, not a
    /// change people make: no new version, no history entry, and allowed on a deployed release too.
    /// </summary>
    public void LinkChatPost(string channelId, string postId)
    {
        if (!state.Exists)
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }

        state.ChatChannelId = channelId;
        state.ChatPostId = postId;
    }

    /// <summary>The history entries and notices up to <paramref name="version"/> are written to the catalog: they no longer wait here.</summary>
    public void MarkPublished(long version)
    {
        state.UnpublishedHistory.RemoveAll(h => h.Version <= version);
        state.UnpublishedNotices.RemoveAll(n => n.Version <= version);
    }

    /// <summary>A deployed release is frozen: every change to it is refused.</summary>
    private void EnsureOpen()
    {
        if (!state.Exists)
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }

        if (state.Status == ReleaseStatus.Deployed)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"Release {state.Id} is deployed and can no longer change.");
        }
    }

    private void EnsureVersion(long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != state.Version)
        {
            throw new ReleaseRuleException(RuleViolation.VersionMismatch,
                $"The release is at version {state.Version}, not {expected}: someone changed it meanwhile.");
        }
    }

    private static void EnsureTextFits(string field, string? text)
    {
        if (text is { Length: > MaxTextLength })
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, $"{field} must be at most {MaxTextLength} characters.");
        }
    }

    private List<ReleaseRepo> Snapshot() =>
        state.Repos.Select(r => new ReleaseRepo { Name = r.Name, HeadSha = r.HeadSha, Excluded = r.Excluded }).ToList();

    /// <summary>Dismisses every approval when they no longer cover the commits; returns why, or null when they still hold.</summary>
    private string? DismissStaleApprovals(List<ReleaseRepo> before)
    {
        if (state.Approvals.IsEmpty)
        {
            return null;
        }

        var why = ApprovalRules.WhyApprovalsAreStale(before, state.Repos);
        if (why is null)
        {
            return null;
        }

        state.Approvals.Clear();
        state.Status = ReleaseStatus.Pending;
        return why;
    }

    private static string Describe(string? dismissedBecause) =>
        dismissedBecause is null ? "" : $"; approvals dismissed ({dismissedBecause})";

    private void NotifyDismissal(string? dismissedBecause)
    {
        if (dismissedBecause is not null)
        {
            Notify(NoticeKind.ApprovalsDismissed, $"Approvals dismissed: {dismissedBecause}");
        }
    }

    /// <summary>A notice belongs to the change just recorded, and shares its version.</summary>
    private void Notify(NoticeKind kind, string detail) =>
        state.UnpublishedNotices.Add(new ReleaseNotice(state.Version, kind, detail));

    private void Record(Actor actor, string action, string detail)
    {
        state.Version++;
        state.UnpublishedHistory.Add(new HistoryEntry(state.Version, Now(), actor.Name, action, detail, ActorId: actor.Id));
    }

    /// <summary>Times are kept to the millisecond, in UTC, so they read the same after a round trip through JSON.</summary>
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
