namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The rules of a release applied to its state. Each method checks everything first and only then
/// changes the state, so a refused change (a <see cref="ReleaseRuleException"/>) leaves it as it
/// was. Every accepted change bumps <see cref="ReleaseState.Version"/> by one and records one
/// history entry; a request that changes nothing (a repo update to its current values) records none.
/// </summary>
public sealed partial class Release(ReleaseState state, ApprovalRoles roles, TimeProvider clock)
{
    /// <summary>Longest accepted notes or breaking-changes text, in characters.</summary>
    public const int MaxTextLength = 50_000;

    /// <summary>Why a release that is not approved cannot be deployed.</summary>
    public const string NotApproved = "Only an approved release can be deployed: it needs both the Dev and the QA approval.";

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
        var carried = CarryOverDependencies(spec.Carried);
        Record(actor, "created",
            $"{spec.SourceBranch} → {spec.DestBranch}: {repos.Count} repos, {repos.Sum(r => r.CommitCount)} commits" + carried.Detail, carried.Changes);
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
        var changes = new List<FieldChange>();
        if (notes is not null)
        {
            changes.Add(new FieldChange("notes", state.Notes, notes));
            state.Notes = notes;
            edited.Add("notes");
        }

        if (breakingChanges is not null)
        {
            changes.Add(new FieldChange("breakingChanges", state.BreakingChanges, breakingChanges));
            state.BreakingChanges = breakingChanges;
            edited.Add("breaking changes");
        }

        Record(actor, "text-edited", $"edited {string.Join(" and ", edited)}", changes);
    }

    public void UpdateRepo(Actor actor, string repoName, bool? excluded, IReadOnlyList<string>? dependsOn, long? expectedVersion)
    {
        EnsureOpen();
        DeploymentRules.EnsureNotDeploying(state, "excluding a repo or changing what it depends on");
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
        var fields = new List<FieldChange>();
        if (excluded is { } isExcluded && isExcluded != repo.Excluded)
        {
            fields.Add(new FieldChange("excluded", Flag(repo.Excluded), Flag(isExcluded)));
            repo.Excluded = isExcluded;
            changes.Add(isExcluded ? "excluded" : "included again");
        }

        if (newDependencies is not null && !newDependencies.SequenceEqual(repo.DependsOn))
        {
            fields.Add(new FieldChange("dependsOn", string.Join(", ", repo.DependsOn), string.Join(", ", newDependencies)));
            repo.DependsOn = newDependencies;
            changes.Add(newDependencies.Count == 0 ? "depends on nothing" : $"depends on {string.Join(", ", newDependencies)}");
        }

        if (changes.Count == 0)
        {
            return; // nothing changed: no new version, no history entry
        }

        var dismissed = DismissStaleApprovals(before);
        Record(actor, "repo-updated", $"{repoName}: {string.Join(", ", changes)}" + Describe(dismissed), [.. fields, .. dismissed?.Changes ?? []]);
        NotifyDismissal(dismissed);
    }

    /// <summary>
    /// Gives the <paramref name="kind"/> approval, covering every included repo's head commit as
    /// the release holds it now. With <paramref name="expectedVersion"/>, only on that version (the
    /// one the approver reviewed).
    /// </summary>
    public void Approve(Actor actor, ApprovalKind kind, long? expectedVersion = null)
    {
        EnsureOpen();
        DeploymentRules.EnsureNotDeploying(state, "an approval");
        EnsureVersion(expectedVersion);
        ApprovalRules.EnsureMayApprove(state, actor, kind, roles, DeployOrder);
        ChecksGate.EnsureMayApprove(state, roles.Checks);
        var alsoHolds = ApprovalRules.OtherApprovalHeldBy(state, actor, kind); // only when separation of duties is off
        var covers = ApprovalRules.CoversOf(state.Repos);
        state.Approvals.Give(kind, new Approval(actor.Name, Now(), covers, actor.Id));
        state.Status = ApprovalRules.StatusFor(state.Approvals);
        ForgetApprovedCommitsOnceApproved();
        var detail = $"{kind.Label()} approval given, covering {covers.Count} {(covers.Count == 1 ? "commit" : "commits")} (the head of each included repo)";
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
        DeploymentRules.EnsureNotDeploying(state, "withdrawing an approval");
        ApprovalRules.EnsureMayWithdraw(state, actor, kind, roles);
        var withdrawn = state.Approvals.Withdraw(kind)!;
        state.Status = ApprovalRules.StatusFor(state.Approvals);
        Record(actor, $"withdrawn-{kind.Slug()}", ApprovalWithdrawal.Detail(kind, withdrawn, actor));
        if (ApprovalWithdrawal.ByOther(withdrawn, actor))
        {
            Notify(NoticeKind.ApprovalWithdrawnByOther, ApprovalWithdrawal.Detail(kind, withdrawn, actor));
        }
    }

    /// <summary>
    /// Hands out the ticket of a comparison about to start (a refresh, or a deploy's check): each
    /// one greater than the last, so <see cref="Refresh(Actor, ComparedRepos, long?)"/> can tell a
    /// comparison that started before the one it last applied. Not a change: no version, no history.
    /// </summary>
    public long BeginComparison()
    {
        EnsureOpen();
        state.ComparisonsBegun = Math.Max(state.ComparisonsBegun, state.LastAppliedComparison) + 1;
        return state.ComparisonsBegun;
    }

    /// <summary>
    /// Deploys, after checking <paramref name="now"/> (the branches compared again, from the
    /// comparison with <paramref name="ticket"/>) against what the approvals cover. When an included
    /// repo's head moved, the set of included repos changed, or an included repo could not be
    /// compared, the comparison is taken in as a refresh (dismissing the approvals when they no
    /// longer cover it), nothing is deployed, and the answer says why. Null when deployed.
    /// Throws, changing nothing, when the release is not approved, its deploy order has a cycle, or
    /// a newer comparison was applied while this one ran.
    /// </summary>
    public string? Deploy(Actor actor, ComparedRepos now, long? ticket = null, FreezeCheck? freeze = null)
    {
        EnsureOpen();
        EnsureTicket(ticket);
        if (state.Status is not (ReleaseStatus.Approved or ReleaseStatus.Deploying))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, NotApproved);
        }

        DeploymentRules.EnsureNoFailure(state);
        EnsureNotFrozen(freeze, "the release may not be marked deployed");
        if (state.Status == ReleaseStatus.Deploying)
        {
            return DeployRest(actor, now, ticket, freeze);
        }

        if (IsOutdated(ticket))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                "The release was compared again while this deploy compared it: review it and deploy again.");
        }

        var merged = Merge(now);
        var gap = ApprovalRules.Uncovered(CoveredByApprovals(), merged);
        var stale = ApprovalRules.StaleRepos(merged);
        if (gap is not null || stale.Count > 0)
        {
            // Refused, but what the source shows now is kept: the release reads as it really is.
            var dismissed = TakeIn(actor, now, merged, ticket, "compared again before deploying");
            return gap is not null
                ? $"Not deployed: the source moved since the approvals ({gap.Reason}). The release was compared again"
                  + (dismissed is null ? "." : " and the approvals were dismissed: review it and approve again.")
                : $"Not deployed. {ApprovalRules.WhyStaleBlocks(stale, "deploy")}";
        }

        // Dependencies may change after the approvals; a deploy order with a cycle cannot be followed.
        if (DeployOrder.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"The deploy order has a cycle. {DeployOrder.Error}");
        }

        // The heads are those the approvals cover; the rest of the comparison (counts, pull requests) is kept too.
        state.Repos = merged;
        state.Warnings = [.. now.Warnings];
        state.LastRefreshedAt = Now();
        if (ticket is { } applied)
        {
            state.LastAppliedComparison = applied;
        }

        RecordOverride(actor, freeze, "marked the release deployed");
        state.Status = ReleaseStatus.Deployed;
        var layers = DeployOrder.Layers.Select((layer, i) => $"{i + 1}) {string.Join(", ", layer)}");
        Record(actor, "deployed", $"deployed in order {string.Join(" → ", layers)}; the source showed the approved commits");
        return null;
    }

    /// <summary>
    /// "Mark deployed" of a release pipelines have begun deploying. What ships is fixed while
    /// deploying, so the comparison changes nothing here: every included repo that has not reported
    /// success must still show the approved commit (or no longer differ, once merged); otherwise the
    /// answer says which moved or could not be compared, and nothing is recorded.
    /// </summary>
    private string? DeployRest(Actor actor, ComparedRepos now, long? ticket, FreezeCheck? freeze)
    {
        if (DeployOrder.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"The deploy order has a cycle. {DeployOrder.Error}");
        }

        var approved = DeploymentRules.ApprovedCommits(state);
        var moved = new List<string>();
        var unreachable = new List<string>();
        foreach (var repo in state.Repos.Where(r => !r.Excluded && r.Deployment?.State != DeploymentState.Success))
        {
            var covered = approved.GetValueOrDefault(repo.Name);
            if (now.Changed.FirstOrDefault(c => c.Name == repo.Name) is { } compared)
            {
                if (!string.Equals(compared.HeadSha, covered, StringComparison.OrdinalIgnoreCase))
                {
                    moved.Add($"{repo.Name} ({ApprovalRules.Short(covered)} → {ApprovalRules.Short(compared.HeadSha)})");
                }
            }
            else if (now.Failed.Contains(repo.Name))
            {
                unreachable.Add(repo.Name);
            }
        }

        if (moved.Count > 0 || unreachable.Count > 0)
        {
            return "Not deployed: the release is deploying, and "
                + (moved.Count > 0 ? $"the source moved since the approvals: {string.Join(", ", moved)}" : "")
                + (moved.Count > 0 && unreachable.Count > 0 ? "; " : "")
                + (unreachable.Count > 0 ? $"{string.Join(", ", unreachable)} could not be compared" : "")
                + ". Deploy the approved commits through the pipelines, or compare again once they are deployed.";
        }

        if (ticket is { } applied)
        {
            state.LastAppliedComparison = Math.Max(state.LastAppliedComparison, applied);
        }

        RecordOverride(actor, freeze, "marked the release deployed");
        var reported = state.Repos.Count(r => !r.Excluded && r.Deployment?.State == DeploymentState.Success);
        var included = state.Repos.Count(r => !r.Excluded);
        state.Status = ReleaseStatus.Deployed;
        Record(actor, "deployed", $"marked deployed while deploying: {reported} of {included} repos had reported success; the source showed no other commit than the approved ones");
        Notify(NoticeKind.DeployFinished, $"Marked deployed by @{actor.Name}: {reported} of {included} repos had reported success.");
        return null;
    }

    /// <summary>
    /// Takes in a deployment report of one repo (by a pipeline or a person; the endpoint checks
    /// the role), following <see cref="DeploymentRules"/>. A report that repeats the last one (same
    /// state, commit and link) changes nothing. A failure is told to the chat channel; so is the end
    /// of the deploy, when the last included repo succeeds.
    /// </summary>
    public void ReportDeployment(Actor actor, DeploymentReport report, FreezeCheck? freeze = null)
    {
        if (!state.Exists)
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }

        freeze ??= FreezeCheck.None;
        var order = DeployOrder;
        var sha = DeploymentRules.EnsureMayReport(state, order, report, freeze);
        var repo = state.FindRepo(report.Repo)!;
        var url = string.IsNullOrWhiteSpace(report.Url) ? null : report.Url.Trim();
        if (repo.Deployment is { } last && last.State == report.State && last.Sha == sha && last.Url == url)
        {
            return; // a pipeline retried its call: nothing new
        }

        if (DeploymentRules.Starts(report.State))
        {
            RecordOverride(actor, freeze, $"started {repo.Name}");
        }

        var before = repo.Deployment;
        repo.Deployment = new RepoDeployment(report.State, sha, Now(), actor.Name, url, actor.Id);
        state.Status = DeploymentRules.StatusAfterReport(state);
        var layer = DeploymentRules.LayerOf(order, repo.Name) + 1;
        var what = report.State switch
        {
            DeploymentState.InProgress => before?.State == DeploymentState.Failure ? "retrying" : "deploying",
            DeploymentState.Success => "deployed",
            _ => "failed",
        };
        var detail = $"{repo.Name} (layer {layer}) {what} at {ApprovalRules.Short(sha)}" + (url is null ? "" : $": {url}");
        var change = new FieldChange($"{repo.Name} deployment", before is null ? null : Slug(before.State), Slug(report.State));
        if (state.Status == ReleaseStatus.Deployed)
        {
            Record(actor, "deployed", $"{detail}; every included repo deployed, release deployed", [change]);
            Notify(NoticeKind.DeployFinished, $"Every repo deployed; the last was {repo.Name}, reported by @{actor.Name}.");
            return;
        }

        Record(actor, $"deploy-{Slug(report.State).Replace('_', '-')}", detail, [change]);
        if (report.State == DeploymentState.Failure)
        {
            Notify(NoticeKind.DeployFailed, $"{repo.Name} failed to deploy at {ApprovalRules.Short(sha)}" + (url is null ? "" : $": {url}")
                + $" (reported by @{actor.Name}). Retry it once fixed.");
        }
    }

    private static string Slug(DeploymentState state) => state switch
    {
        DeploymentState.InProgress => "in_progress",
        DeploymentState.Success => "success",
        _ => "failure",
    };

    private static void EnsureNotFrozen(FreezeCheck? freeze, string what)
    {
        if (freeze?.Freeze is { } frozen && string.IsNullOrWhiteSpace(freeze.OverrideReason))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"{frozen.Describe()} Until it ends, {what}.");
        }
    }

    /// <summary>An admin went through a freeze: its own history entry (and chat notice), before the change it allowed.</summary>
    private void RecordOverride(Actor actor, FreezeCheck? freeze, string what)
    {
        if (freeze is { Freeze: { } frozen, OverrideReason: { } reason } && !string.IsNullOrWhiteSpace(reason))
        {
            Record(actor, "freeze-overridden", $"{what} through the freeze ({frozen.Reason}); reason: {reason.Trim()}");
            Notify(NoticeKind.FreezeOverridden, $"@{actor.Name} {what} through the freeze ({frozen.Reason}). Reason: {reason.Trim()}");
        }
    }

    /// <summary>Takes in a comparison applied whatever its age (tests and tools; the grain passes tickets).</summary>
    public void Refresh(Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings) =>
        Refresh(actor, new ComparedRepos(repos, warnings, []), null);

    /// <summary>
    /// Takes in a new comparison from the source. The team's choices (excluded, dependsOn) stay
    /// with the repos that are still there; repos that no longer have changes leave the release,
    /// and repos the comparison could not reach stay with their last data, marked stale. A
    /// comparison whose <paramref name="ticket"/> is not newer than the last applied one is ignored
    /// (it started before it): returns false and changes nothing.
    /// </summary>
    public bool Refresh(Actor actor, ComparedRepos comparison, long? ticket)
    {
        EnsureOpen();
        DeploymentRules.EnsureNotDeploying(state, "comparing the branches again (deployed repos leave the comparison, and new heads would replace the approved ones)");
        EnsureTicket(ticket);
        if (IsOutdated(ticket))
        {
            return false;
        }

        TakeIn(actor, comparison, Merge(comparison), ticket, "compared again");
        return true;
    }

    private CoverageGap? TakeIn(Actor actor, ComparedRepos comparison, List<ReleaseRepo> merged, long? ticket, string what)
    {
        var before = Snapshot();
        state.Repos = merged;
        state.Warnings = [.. comparison.Warnings];
        state.LastRefreshedAt = Now();
        if (ticket is { } applied)
        {
            state.LastAppliedComparison = applied;
        }

        var repos = comparison.Changed;
        var detail = $"{what}: {repos.Count} repos, {repos.Sum(r => r.CommitCount)} commits";
        if (comparison.Warnings.Count > 0)
        {
            detail += $"; {comparison.Warnings.Count} repos could not be compared";
        }

        var stale = merged.Where(r => r.Stale).Select(r => r.Name).ToList();
        if (stale.Count > 0)
        {
            detail += $"; kept from the last comparison (stale): {string.Join(", ", stale)}";
        }

        var dismissed = DismissStaleApprovals(before);
        CountNewSinceApproval(comparison);
        Record(actor, "refreshed", detail + Describe(dismissed), dismissed?.Changes);
        NotifyDismissal(dismissed);
        return dismissed;
    }

    /// <summary>
    /// The repos a comparison gives this release, without changing it: each changed repo with the
    /// team's choices it had; each repo of the release the comparison could not reach as it was,
    /// marked stale; dependencies on repos that left are dropped.
    /// </summary>
    private List<ReleaseRepo> Merge(ComparedRepos comparison)
    {
        var compared = new HashSet<string>(comparison.Changed.Select(r => r.Name), StringComparer.Ordinal);
        var failed = new HashSet<string>(comparison.Failed, StringComparer.Ordinal);
        var staying = state.Repos.Where(r => failed.Contains(r.Name) && !compared.Contains(r.Name)).ToList();
        var kept = new HashSet<string>(compared.Concat(staying.Select(r => r.Name)), StringComparer.Ordinal);
        var fresh = comparison.Changed.Select(change =>
        {
            var repo = ReleaseRepo.From(change);
            if (state.FindRepo(change.Name) is { } old)
            {
                repo.Excluded = old.Excluded;
                repo.DependsOn = old.DependsOn.Where(kept.Contains).ToList();
                KeepAcrossComparisons(old, repo);
            }

            return repo;
        });
        var stale = staying.Select(old => new ReleaseRepo
        {
            Name = old.Name,
            CommitCount = old.CommitCount,
            Contributors = [.. old.Contributors],
            HeadSha = old.HeadSha,
            PrNumber = old.PrNumber,
            PrUrl = old.PrUrl,
            Source = old.Source,
            Excluded = old.Excluded,
            DependsOn = old.DependsOn.Where(kept.Contains).ToList(),
            Stale = true,
            BaseSha = old.BaseSha,
            Checks = old.Checks,
            ApprovedSha = old.ApprovedSha,
            NewSinceApproval = old.NewSinceApproval,
        });
        return fresh.Concat(stale).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>What the approvals given cover (those stored before covers were kept: the repos as they are).</summary>
    private IReadOnlyList<CoveredCommit> CoveredByApprovals() =>
        state.Approvals.Given().Select(g => g.Approval.Covers).FirstOrDefault(c => c.Count > 0)
        ?? ApprovalRules.CoversOf(state.Repos);

    private bool IsOutdated(long? ticket) => ticket is { } t && t <= state.LastAppliedComparison;

    private void EnsureTicket(long? ticket)
    {
        if (ticket is { } t && (t < 1 || t > state.ComparisonsBegun))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, $"Comparison ticket {t} was never handed out.");
        }
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

    /// <summary>
    /// Dismisses every approval when one no longer covers the commits (what it covers, or for an
    /// approval stored before covers were kept, the repos <paramref name="before"/> the change);
    /// returns why, or null when they still hold.
    /// </summary>
    private CoverageGap? DismissStaleApprovals(List<ReleaseRepo> before)
    {
        CoverageGap? gap = null;
        foreach (var (_, approval) in state.Approvals.Given())
        {
            var covered = approval.Covers.Count > 0 ? approval.Covers : ApprovalRules.CoversOf(before);
            gap ??= ApprovalRules.Uncovered(covered, state.Repos);
        }

        if (gap is null)
        {
            return null;
        }

        RememberApprovedCommits();
        state.Approvals.Clear();
        state.Status = ReleaseStatus.Pending;
        return gap;
    }

    private static string Describe(CoverageGap? dismissed) =>
        dismissed is null ? "" : $"; approvals dismissed ({dismissed.Reason})";

    private void NotifyDismissal(CoverageGap? dismissed)
    {
        if (dismissed is not null)
        {
            Notify(NoticeKind.ApprovalsDismissed, $"Approvals dismissed: {dismissed.Reason}");
        }
    }

    private static string Flag(bool value) => value ? "true" : "false";

    /// <summary>A notice belongs to the change just recorded, and shares its version.</summary>
    private void Notify(NoticeKind kind, string detail) =>
        state.UnpublishedNotices.Add(new ReleaseNotice(state.Version, kind, detail));

    private void Record(Actor actor, string action, string detail, IReadOnlyList<FieldChange>? changes = null)
    {
        state.Version++;
        state.UnpublishedHistory.Add(new HistoryEntry(state.Version, Now(), actor.Name, action, detail, actor.Id) { Changes = changes ?? [] });
    }

    /// <summary>Times are kept to the millisecond, in UTC, so they read the same after a round trip through JSON.</summary>
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
