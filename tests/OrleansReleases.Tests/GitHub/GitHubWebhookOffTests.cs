using System.Net;
using OrleansReleases.Tests.Http;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.GitHub;

/// <summary>Without <c>Releases:GitHub:WebhookSecret</c> there is no webhook.</summary>
public sealed class GitHubWebhookOffTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Without_a_secret_the_webhook_path_is_a_404()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");

        await ExpectProblemAsync(await http.SendAsync(request), HttpStatusCode.NotFound);
    }
}
