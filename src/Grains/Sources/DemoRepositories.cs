using System.Text;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// The demo source (<c>--demo</c>): a few sample service repositories with <c>master</c>,
/// <c>uat</c> and <c>dev</c> branches and a believable history, so a new user can create a
/// release at once. Made once, as bare repos, with one <c>git fast-import</c> per repo.
/// </summary>
public static class DemoRepositories
{
    private sealed record Commit(string Author, string Message, string File, string Line);

    private sealed record DemoRepo(string Name, Commit[] Master, Commit[] Uat, Commit[] Dev);

    private static readonly Dictionary<string, string> Emails = new()
    {
        ["Alice Moreau"] = "alice@example.com",
        ["Bob Okafor"] = "bob@example.com",
        ["Carol Jensen"] = "carol@example.com",
        ["Dave Tanaka"] = "dave@example.com",
        ["Erin Walsh"] = "erin@example.com",
        ["Frank Silva"] = "frank@example.com",
    };

    private static readonly DemoRepo[] Repos =
    [
        new("auth-service",
            [new("Alice Moreau", "Initial auth service", "src/token.go", "package auth"),
             new("Bob Okafor", "Add login endpoint", "src/login.go", "func Login() {}"),
             new("Alice Moreau", "Hash passwords with argon2", "src/hash.go", "func Hash() {}")],
            [new("Alice Moreau", "Add token refresh", "src/refresh.go", "func Refresh() {}"),
             new("Bob Okafor", "Rotate signing keys daily", "src/keys.go", "func Rotate() {}"),
             new("Alice Moreau", "Tolerate 30s clock skew", "src/token.go", "const skew = 30")],
            [new("Bob Okafor", "WIP: passkeys", "src/passkeys.go", "// TODO")]),
        new("api-gateway",
            [new("Carol Jensen", "Initial gateway", "routes.yaml", "routes: []"),
             new("Carol Jensen", "Route /users to user-service", "routes.yaml", "- /users"),
             new("Dave Tanaka", "Add rate limiting", "limits.yaml", "rps: 100")],
            [new("Carol Jensen", "Route /auth/refresh", "routes.yaml", "- /auth/refresh"),
             new("Carol Jensen", "Raise rate limit for partners", "limits.yaml", "rps: 250")],
            [new("Dave Tanaka", "Try HTTP/3", "server.yaml", "http3: true")]),
        new("user-service",
            [new("Bob Okafor", "Initial user service", "src/users.py", "class User: pass"),
             new("Dave Tanaka", "Add profile pictures", "src/avatar.py", "def upload(): pass")],
            [new("Bob Okafor", "Use token refresh from auth", "src/session.py", "refresh = True"),
             new("Dave Tanaka", "Paginate user search", "src/search.py", "PAGE = 50"),
             new("Alice Moreau", "Fix email normalisation", "src/users.py", "email.lower()")],
            []),
        new("notification-svc",
            [new("Erin Walsh", "Initial notifications", "src/send.ts", "export {}"),
             new("Erin Walsh", "Email templates", "templates/welcome.html", "<p>Welcome</p>")],
            [new("Erin Walsh", "Send a mail on new sign-in", "src/signin.ts", "export const notify = true")],
            []),
        new("billing-service",
            [new("Frank Silva", "Initial billing", "src/invoice.rs", "fn main() {}"),
             new("Frank Silva", "Monthly invoices", "src/monthly.rs", "fn monthly() {}"),
             new("Bob Okafor", "VAT rules for the EU", "src/vat.rs", "fn vat() {}")],
            [],
            [new("Frank Silva", "Draft: usage-based pricing", "src/usage.rs", "fn usage() {}"),
             new("Frank Silva", "Draft: usage meters", "src/meter.rs", "fn meter() {}")]),
        new("config-svc",
            [new("Dave Tanaka", "Initial config service", "config/default.yaml", "env: prod"),
             new("Erin Walsh", "Feature flags", "config/flags.yaml", "flags: {}")],
            [new("Dave Tanaka", "Flag for token refresh", "config/flags.yaml", "token_refresh: true"),
             new("Erin Walsh", "Flag for sign-in mails", "config/flags.yaml", "signin_mail: true")],
            []),
    ];

    private const string Marker = ".demo-complete";

    /// <summary>Creates the demo repositories in <paramref name="root"/> unless an earlier start made them.</summary>
    public static async Task EnsureCreatedAsync(string root, CancellationToken cancellationToken = default)
    {
        if (File.Exists(Path.Combine(root, Marker)))
        {
            return;
        }

        // Build beside the target and move it into place, so a crash never leaves half a demo.
        var building = $"{root.TrimEnd(Path.DirectorySeparatorChar)}.building-{Environment.ProcessId}";
        if (Directory.Exists(building))
        {
            Directory.Delete(building, recursive: true);
        }

        Directory.CreateDirectory(building);
        var start = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Repos.Length; i++)
        {
            await CreateRepoAsync(Path.Combine(building, Repos[i].Name), Repos[i], start.AddDays(i), cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(building, Marker), "Sample repositories made by OrleansReleases --demo.\n", cancellationToken);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(root))!);
        Directory.Move(building, root);
    }

    private static async Task CreateRepoAsync(string path, DemoRepo repo, DateTimeOffset start, CancellationToken ct)
    {
        Directory.CreateDirectory(path);
        await RunGitAsync(path, ["init", "--quiet", "--bare", "--initial-branch=master"], null, ct);

        var stream = new StringBuilder();
        var mark = 0;
        var time = start;
        int Append(string branch, Commit commit, int? parent)
        {
            mark++;
            time = time.AddHours(7);
            var email = Emails[commit.Author];
            var stamp = $"{time.ToUnixTimeSeconds()} +0000";
            stream.Append($"commit refs/heads/{branch}\nmark :{mark}\n");
            stream.Append($"author {commit.Author} <{email}> {stamp}\ncommitter {commit.Author} <{email}> {stamp}\n");
            AppendData(stream, commit.Message + "\n");
            if (parent is { } from)
            {
                stream.Append($"from :{from}\n");
            }

            stream.Append($"M 100644 inline {commit.File}\n");
            AppendData(stream, $"{commit.Line}\n// {commit.Message}\n");
            stream.Append('\n');
            return mark;
        }

        int? tip = null;
        foreach (var commit in repo.Master)
        {
            tip = Append("master", commit, tip);
        }

        var masterTip = tip!.Value;
        int? uatTip = masterTip;
        foreach (var commit in repo.Uat)
        {
            uatTip = Append("uat", commit, uatTip);
        }

        if (repo.Uat.Length == 0)
        {
            stream.Append($"reset refs/heads/uat\nfrom :{masterTip}\n\n");
        }

        int? devTip = uatTip;
        foreach (var commit in repo.Dev)
        {
            devTip = Append("dev", commit, devTip);
        }

        if (repo.Dev.Length == 0)
        {
            stream.Append($"reset refs/heads/dev\nfrom :{uatTip}\n\n");
        }

        await RunGitAsync(path, ["fast-import", "--quiet"], stream.ToString(), ct);
    }

    private static void AppendData(StringBuilder stream, string text) =>
        stream.Append($"data {Encoding.UTF8.GetByteCount(text)}\n{text}");

    private static async Task RunGitAsync(string path, string[] arguments, string? input, CancellationToken ct)
    {
        var result = await GitCommand.RunAsync(path, arguments, ct, input);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"git {arguments[0]} failed in {path}: {result.Error.Trim()}");
        }
    }
}
