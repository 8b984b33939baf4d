using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Freeze;

/// <summary>The stop-the-line switch, as stored: on from <see cref="Since"/>, by whom, why, and until when (null: until switched off).</summary>
[GenerateSerializer, Immutable]
public sealed record FreezeSwitch(string Reason, string By, string? ById, DateTime Since, DateTime? Until);

/// <summary>The stored state of <see cref="FreezeGrain"/>.</summary>
public sealed class FreezeSwitchState
{
    public FreezeSwitch? Switch { get; set; }
}

/// <summary>The stop-the-line switch of the whole cluster (one grain, key <see cref="Key"/>), kept in grain storage.</summary>
public interface IFreezeGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>The switch while it is on (an <c>until</c> that has passed turns it off); null when off.</summary>
    [ReadOnly]
    Task<FreezeSwitch?> Get();

    /// <summary>Turns it on (or changes reason and end while on); an admin's change, checked by the endpoint.</summary>
    Task<FreezeSwitch> Set(Actor actor, string reason, DateTime? until);

    /// <summary>Turns it off; answers whether it was on.</summary>
    Task<bool> Clear(Actor actor);
}

public sealed class FreezeGrain(
    [PersistentState(FreezeGrain.StateName, StorageNames.Provider)] IPersistentState<FreezeSwitchState> stored,
    TimeProvider clock,
    ILogger<FreezeGrain> logger) : Grain, IFreezeGrain
{
    /// <summary>The state name in storage: written into the database, never change it.</summary>
    public const string StateName = "freeze";

    public Task<FreezeSwitch?> Get() => Task.FromResult(Current());

    public async Task<FreezeSwitch> Set(Actor actor, string reason, DateTime? until)
    {
        var now = Now();
        if (until is { } end && end <= now)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "until must be in the future.");
        }

        // Changing the reason or end of a freeze in force keeps when (and by whom) it began.
        var since = Current() is { } on ? on.Since : now;
        stored.State.Switch = new FreezeSwitch(reason, actor.Name, actor.Id, since, until);
        await stored.WriteStateAsync();
        logger.LogWarning("Deploys frozen by {Actor} ({ActorId}) until {Until}: {Reason}", actor.Name, actor.Id, until?.ToString("O") ?? "switched off", reason);
        return stored.State.Switch;
    }

    public async Task<bool> Clear(Actor actor)
    {
        var wasOn = Current() is not null;
        if (stored.State.Switch is null)
        {
            return false;
        }

        stored.State.Switch = null;
        await stored.WriteStateAsync();
        if (wasOn)
        {
            logger.LogWarning("Deploys unfrozen by {Actor} ({ActorId})", actor.Name, actor.Id);
        }

        return wasOn;
    }

    private FreezeSwitch? Current() =>
        stored.State.Switch is { } on && (on.Until is not { } until || until > Now()) ? on : null;

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
