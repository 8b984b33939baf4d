using System.Net;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.CommitStatuses;

/// <summary>
/// The gate status survives a crash: the process is killed (SIGKILL) after the second sign-off is
/// stored but before GitHub heard of it; after the restart every commit carries exactly the latest state.
/// </summary>
public sealed class CommitStatusCrashTests
{
    [Theory]
    [InlineData(false)] // GitHub never got the status
    [InlineData(true)]  // GitHub set the status, but the process died before hearing so
    public async Task After_kill_9_between_the_approval_and_its_status_the_restarted_service_sets_success(bool setBeforeTheCrash)
    {
        await using var scenario = await CommitStatusScenario.StartAsync();
        var auth = scenario.HeadOf("auth-service");
        var gateway = scenario.HeadOf("api-gateway");
        string id;

        using (var first = await ServiceProcess.StartAsync(scenario.DatabasePath, scenario.Settings))
        {
            using var alice = first.Client();
            await alice.SignInAsync("alice");
            using var dana = first.Client();
            await dana.SignInAsync("dana", DevLead);
            using var quinn = first.Client();
            await quinn.SignInAsync("quinn", Qa);
            id = (string)(await alice.CreateReleaseAsync("uat", "master"))["id"]!;
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
            var waitingForQa = $"waiting for QA sign-off in release {id}";
            await scenario.WaitForAsync("auth-service", auth, "pending", waitingForQa);
            await scenario.WaitForAsync("api-gateway", gateway, "pending", waitingForQa);

            scenario.GitHub.HoldStatusPosts(applyFirst: setBeforeTheCrash);
            await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
            await scenario.GitHub.WaitForStatusesAsync(g => g.HeldStatusPosts >= 1, "the service sets the first success status");

            first.Kill();
        }

        scenario.GitHub.ReleaseStatusPosts(); // the held request's caller is gone; later requests go through at once
        var outbox = scenario.OutboxRow(id)!.Value;
        Assert.True(outbox.Delivered < outbox.Version, $"the approval is owed to GitHub: {outbox}");

        using var second = await ServiceProcess.StartAsync(scenario.DatabasePath, scenario.Settings);

        await scenario.WaitForAsync("auth-service", auth, "success");
        await scenario.WaitForAsync("api-gateway", gateway, "success");
        await CommitStatusServiceTests.WaitUntilDeliveredAsync(scenario, id, outbox.Version);
        foreach (var (repo, sha) in new[] { ("auth-service", auth), ("api-gateway", gateway) })
        {
            var gate = await scenario.GateAsync(repo, sha, "success");
            Assert.Equal($"signed off by Dev and QA in release {id}", (string?)gate["description"]);
            // The newest status is the newest state: nothing older was set after it.
            Assert.Equal("success", scenario.GitHub.Statuses(repo, sha)[^1].State);
        }
    }
}
