using System.Reflection;
using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Grains;

/// <summary>Release changes reach every subscriber through the events grains, which know no subscriber by name.</summary>
public sealed class ReleaseEventsTests : IAsyncLifetime
{
    private static readonly Actor Creator = new("carol", []);
    private static readonly Actor DevLead = new("dana", ["release-dev-lead"]);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempFolder _folder = TempFolder.Create();
    private SqliteTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SqliteTestCluster.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private IReleaseSubscribersGrain Subscribers => _cluster.Grains.GetGrain<IReleaseSubscribersGrain>(IReleaseSubscribersGrain.Key);

    [Fact]
    public async Task Two_subscribers_both_hear_every_change()
    {
        var first = new RecordingSubscriber();
        var second = new RecordingSubscriber();
        await Subscribers.Subscribe(_cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(first));
        await Subscribers.Subscribe(_cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(second));

        var grain = _cluster.Grains.GetGrain<IReleaseGrain>("fanout1");
        await grain.Create(new NewRelease("uat", "master"), Creator, [new("api-gateway", 2, ["Carol"], "aaaa1111")], []);
        await grain.Approve(DevLead, ApprovalKind.Dev);

        foreach (var subscriber in new[] { first, second })
        {
            var approved = await subscriber.HeardAsync(r => r.Id == "fanout1" && r.Version == 2).WaitAsync(Patience);
            Assert.Equal("dana", approved.DevApproval?.By);
            Assert.Contains(subscriber.Heard, r => r.Id == "fanout1" && r.Version == 1);
        }

        GC.KeepAlive(first); // object references are weak: the subscribers must outlive the test
        GC.KeepAlive(second);
    }

    [Fact]
    public async Task The_same_subscriber_renewed_is_kept_once_and_an_unsubscribed_one_is_dropped()
    {
        var renewed = _cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(new RecordingSubscriber());
        var leaving = _cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(new RecordingSubscriber());

        await Subscribers.Subscribe(renewed);
        await Subscribers.Subscribe(leaving);
        await Subscribers.Subscribe(renewed);
        await Subscribers.Unsubscribe(leaving);

        Assert.Equal([renewed], await Subscribers.GetSubscribers());
    }

    [Fact]
    public async Task A_new_subscriber_is_told_how_long_until_every_events_grain_calls_it()
    {
        var early = _cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(new RecordingSubscriber());
        var late = _cluster.Grains.CreateObjectReference<IReleaseChangeObserver>(new RecordingSubscriber());

        // No events grain has read the list yet: nothing is cached anywhere, the subscription holds at once.
        Assert.Equal(TimeSpan.Zero, await Subscribers.Subscribe(early));

        await Subscribers.GetSubscribers(); // as an events grain does before its first change
        var settling = await Subscribers.Subscribe(late);

        Assert.InRange(settling, TimeSpan.FromTicks(1), ReleaseEventsGrain.SubscribersKeptFor);
        Assert.Equal(TimeSpan.Zero, await Subscribers.Subscribe(late)); // a renewal is already known
    }

    [Fact]
    public void The_events_grains_know_no_feature_that_subscribes()
    {
        var events = typeof(IReleaseEventsGrain).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IReleaseEventsGrain).Namespace)
            .ToList();
        Assert.Contains(typeof(ReleaseEventsGrain), events);

        var featureNamespaces = new[] { "OrleansReleases.Grains.Chat", "OrleansReleases.Web" };
        var offending = events
            .SelectMany(t => TypesUsedBy(t).Select(used => (t, used)))
            .Where(pair => featureNamespaces.Any(ns => pair.used.Namespace?.StartsWith(ns, StringComparison.Ordinal) == true))
            .Select(pair => $"{pair.t.Name} uses {pair.used.FullName}")
            .Distinct()
            .ToList();

        Assert.Empty(offending);
    }

    /// <summary>The types in a type's signatures: base, interfaces, fields, constructor, property and method signatures.</summary>
    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            used.Add(baseType);
        }

        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetFields(all).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                used.Add(info.ReturnType);
            }
        }

        return used.SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Unwrap(argument))
            {
                yield return inner;
            }
        }
    }

    private sealed class RecordingSubscriber : IReleaseChangeObserver
    {
        private readonly List<(Func<ReleaseView, bool> Match, TaskCompletionSource<ReleaseView> Heard)> _waiting = [];
        private readonly List<ReleaseView> _heard = [];

        public IReadOnlyList<ReleaseView> Heard
        {
            get
            {
                lock (_heard)
                {
                    return [.. _heard];
                }
            }
        }

        public Task ReleaseChanged(ReleaseView release)
        {
            lock (_heard)
            {
                _heard.Add(release);
                foreach (var waiting in _waiting.Where(w => w.Match(release)))
                {
                    waiting.Heard.TrySetResult(release);
                }
            }

            return Task.CompletedTask;
        }

        public Task<ReleaseView> HeardAsync(Func<ReleaseView, bool> match)
        {
            lock (_heard)
            {
                var heard = new TaskCompletionSource<ReleaseView>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_heard.FirstOrDefault(match) is { } already)
                {
                    heard.SetResult(already);
                }
                else
                {
                    _waiting.Add((match, heard));
                }

                return heard.Task;
            }
        }
    }
}
