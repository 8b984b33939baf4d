using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Freeze;

/// <summary>A window's occurrence in force now, else its next one (<c>GET /api/freeze</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record FreezeWindowView(string Reason, DateTime? NextStart, DateTime? NextEnd);

/// <summary>
/// Whether deploys are frozen now (<c>GET /api/freeze</c>): the stop-the-line switch when it is on,
/// else a window in force (<see cref="By"/> null, <see cref="Since"/> its start, <see cref="Until"/> its end).
/// </summary>
public sealed record FreezeStatus(bool Frozen, string? Reason, string? By, DateTime? Since, DateTime? Until, IReadOnlyList<FreezeWindowView> Windows)
{
    /// <summary>The freeze a deploy must respect; null when not frozen.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ActiveFreeze? Active => Frozen ? new ActiveFreeze(Reason ?? "deploys are frozen", Until) : null;
}

/// <summary>The switch (a grain, one for the cluster) and the windows of the settings, read together.</summary>
public sealed class FreezeService(IGrainFactory grains, FreezeCalendar calendar)
{
    public IFreezeGrain Switch => grains.GetGrain<IFreezeGrain>(IFreezeGrain.Key);

    public async Task<FreezeStatus> StatusAsync()
    {
        var windows = calendar.Upcoming()
            .Select(u => new FreezeWindowView(u.Window.Reason, u.Next?.Start.UtcDateTime, u.Next?.End.UtcDateTime))
            .ToList();
        if (await Switch.Get() is { } on)
        {
            return new FreezeStatus(true, on.Reason, on.By, on.Since, on.Until, windows);
        }

        if (calendar.Active() is { } window)
        {
            return new FreezeStatus(true, window.Reason, null, window.Start.UtcDateTime, window.End.UtcDateTime, windows);
        }

        return new FreezeStatus(false, null, null, null, null, windows);
    }

    /// <summary>What a deploy checks: the freeze in force, with the override reason the caller gave (an admin's, checked by the endpoint).</summary>
    public async Task<FreezeCheck> CheckAsync(string? overrideReason) =>
        new((await StatusAsync()).Active, string.IsNullOrWhiteSpace(overrideReason) ? null : overrideReason.Trim());
}

public static class FreezeServices
{
    /// <summary>The freeze windows of <c>Releases:Freeze:Windows</c> (a bad one stops the start, naming the setting) and the switch.</summary>
    public static IServiceCollection AddFreezes(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FreezeOptions.Section).Get<FreezeOptions>() ?? new FreezeOptions();
        var windows = options.Windows.Select(FreezeWindow.Parse).ToList();
        services.AddSingleton(provider => new FreezeCalendar(windows, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FreezeService>();
        return services;
    }
}
