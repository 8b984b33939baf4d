using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// One browser-like session against the service: a cookie jar, no automatic redirects, and the
/// <c>X-Requested-With</c> header the dashboard sends. Answers are read as raw JSON, so tests
/// check the wire format of API.md, not a C# model of it.
/// </summary>
public sealed class ApiClient : IDisposable
{
    public const string DevLead = "release-dev-lead";
    public const string Qa = "release-qa";

    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, bool sendXRequestedWith = true)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = baseAddress };
        if (sendXRequestedWith)
        {
            _http.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        }
    }

    public HttpClient Http => _http;

    /// <summary>The session cookies, to share with a SignalR connection of the same user.</summary>
    public CookieContainer Cookies { get; } = new();

    public async Task SignInAsync(string user, params string[] roles)
    {
        var response = await _http.GetAsync($"/auth/dev-login?user={Uri.EscapeDataString(user)}&roles={Uri.EscapeDataString(string.Join(',', roles))}&returnUrl=/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        _http.PostAsync(path, body is null ? null : JsonContent.Create(body));

    public Task<HttpResponseMessage> PatchAsync(string path, object body, string? ifMatch = null) =>
        SendRawAsync(HttpMethod.Patch, path, System.Text.Json.JsonSerializer.Serialize(body), ifMatch);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    /// <summary>Sends <paramref name="body"/> exactly as given, for malformed-input tests.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? body, string? ifMatch = null,
        string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return _http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path) => await ExpectJsonAsync(await GetAsync(path), HttpStatusCode.OK);

    /// <summary>Creates a release and returns it; fails the test unless the answer is 201.</summary>
    public async Task<JsonNode> CreateReleaseAsync(string source = "uat", string dest = "master", string? notes = null) =>
        await ExpectJsonAsync(await PostAsync("/api/releases", new { sourceBranch = source, destBranch = dest, notes }), HttpStatusCode.Created);

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonNode> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts a problem answer (RFC 9457) with <paramref name="expected"/> status, and returns it.</summary>
    public static async Task<JsonNode> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await ExpectJsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        return problem;
    }

    public void Dispose() => _http.Dispose();
}
