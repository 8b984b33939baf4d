using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Tests.Domain;

public sealed class DeployOrderTests
{
    [Fact]
    public void Repos_are_layered_as_in_the_contract_example()
    {
        var order = DeployOrder.Compute(
        [
            Repo("notification-svc", dependsOn: ["user-service"]),
            Repo("user-service", dependsOn: ["auth-service"]),
            Repo("api-gateway", dependsOn: ["auth-service"]),
            Repo("auth-service"),
        ]);

        Assert.Null(order.Error);
        Assert.False(order.HasCycle);
        AssertLayers(order, ["auth-service"], ["api-gateway", "user-service"], ["notification-svc"]);
    }

    [Fact]
    public void Repos_without_dependencies_share_layer_one_sorted_by_ordinal_name()
    {
        var order = DeployOrder.Compute([Repo("b"), Repo("a-z"), Repo("B"), Repo("a")]);

        AssertLayers(order, ["B", "a", "a-z", "b"]);
    }

    [Fact]
    public void A_repo_goes_in_the_layer_after_its_latest_dependency()
    {
        var order = DeployOrder.Compute(
        [
            Repo("db"),
            Repo("cache"),
            Repo("api", dependsOn: ["db"]),
            Repo("web", dependsOn: ["api", "cache"]),
        ]);

        AssertLayers(order, ["cache", "db"], ["api"], ["web"]);
    }

    [Fact]
    public void An_excluded_repo_is_left_out_and_a_dependency_on_it_counts_as_met()
    {
        var order = DeployOrder.Compute(
        [
            Repo("auth-service", excluded: true),
            Repo("api-gateway", dependsOn: ["auth-service"]),
            Repo("user-service", dependsOn: ["auth-service"]),
            Repo("notification-svc", dependsOn: ["user-service"]),
        ]);

        Assert.Null(order.Error);
        AssertLayers(order, ["api-gateway", "user-service"], ["notification-svc"]);
    }

    [Fact]
    public void A_dependency_on_a_name_that_is_not_in_the_release_is_ignored()
    {
        var order = DeployOrder.Compute([Repo("api-gateway", dependsOn: ["no-such-repo"]), Repo("auth-service")]);

        Assert.Null(order.Error);
        AssertLayers(order, ["api-gateway", "auth-service"]);
    }

    [Fact]
    public void No_repos_give_no_layers_and_no_error()
    {
        var order = DeployOrder.Compute([]);

        Assert.Empty(order.Layers);
        Assert.Null(order.Error);
    }

    [Fact]
    public void Only_excluded_repos_give_no_layers_and_no_error()
    {
        var order = DeployOrder.Compute([Repo("auth-service", excluded: true)]);

        Assert.Empty(order.Layers);
        Assert.Null(order.Error);
    }

    [Fact]
    public void A_two_repo_cycle_is_named_and_the_layers_before_it_are_kept()
    {
        var order = DeployOrder.Compute(
        [
            Repo("auth-service"),
            Repo("orders", dependsOn: ["auth-service", "payments"]),
            Repo("payments", dependsOn: ["orders"]),
        ]);

        Assert.True(order.HasCycle);
        Assert.Equal(["orders", "payments"], NamesIn(order.Error, "auth-service", "orders", "payments"));
        AssertLayers(order, ["auth-service"]);
    }

    [Fact]
    public void A_three_repo_cycle_is_named_and_the_layers_before_it_are_kept()
    {
        var order = DeployOrder.Compute(
        [
            Repo("auth-service"),
            Repo("config-svc", dependsOn: ["auth-service"]),
            Repo("orders", dependsOn: ["shipping", "config-svc"]),
            Repo("payments", dependsOn: ["orders"]),
            Repo("shipping", dependsOn: ["payments"]),
        ]);

        Assert.True(order.HasCycle);
        Assert.Equal(["orders", "payments", "shipping"],
            NamesIn(order.Error, "auth-service", "config-svc", "orders", "payments", "shipping"));
        AssertLayers(order, ["auth-service"], ["config-svc"]);
    }

    [Fact]
    public void A_cycle_with_nothing_else_gives_no_layers()
    {
        var order = DeployOrder.Compute([Repo("orders", dependsOn: ["payments"]), Repo("payments", dependsOn: ["orders"])]);

        Assert.True(order.HasCycle);
        Assert.Empty(order.Layers);
    }

    [Fact]
    public void Every_repo_of_interlocked_cycles_is_named()
    {
        // orders ⇄ payments and payments ⇄ shipping: all three are in a cycle.
        var order = DeployOrder.Compute(
        [
            Repo("orders", dependsOn: ["payments"]),
            Repo("payments", dependsOn: ["orders", "shipping"]),
            Repo("shipping", dependsOn: ["payments"]),
        ]);

        Assert.True(order.HasCycle);
        Assert.Equal(["orders", "payments", "shipping"], NamesIn(order.Error, "orders", "payments", "shipping"));
    }

    [Fact]
    public void A_repo_waiting_on_a_cycle_is_named_as_waiting_not_as_part_of_the_cycle()
    {
        var order = DeployOrder.Compute(
        [
            Repo("auth-service"),
            Repo("orders", dependsOn: ["payments"]),
            Repo("payments", dependsOn: ["orders"]),
            Repo("notification-svc", dependsOn: ["orders", "auth-service"]),
        ]);

        var error = Assert.IsType<string>(order.Error);
        var waiting = error.IndexOf("Waiting on a cycle", StringComparison.Ordinal);
        Assert.True(waiting >= 0, $"no 'Waiting on a cycle' in: {error}");
        Assert.Equal(["orders", "payments"], NamesIn(error[..waiting], "auth-service", "notification-svc", "orders", "payments"));
        Assert.Equal(["notification-svc"], NamesIn(error[waiting..], "auth-service", "notification-svc", "orders", "payments"));
        AssertLayers(order, ["auth-service"]);
    }

    [Fact]
    public void Two_separate_cycles_are_both_named()
    {
        var order = DeployOrder.Compute(
        [
            Repo("auth-service"),
            Repo("orders", dependsOn: ["payments"]),
            Repo("payments", dependsOn: ["orders"]),
            Repo("search", dependsOn: ["indexer"]),
            Repo("indexer", dependsOn: ["search"]),
        ]);

        Assert.True(order.HasCycle);
        Assert.Equal(["indexer", "orders", "payments", "search"],
            NamesIn(order.Error, "auth-service", "indexer", "orders", "payments", "search"));
        AssertLayers(order, ["auth-service"]);
    }

    [Fact]
    public void Excluding_a_repo_of_a_cycle_breaks_the_cycle()
    {
        var order = DeployOrder.Compute(
        [
            Repo("orders", dependsOn: ["payments"]),
            Repo("payments", dependsOn: ["orders"], excluded: true),
        ]);

        Assert.Null(order.Error);
        AssertLayers(order, ["orders"]);
    }

    private static ReleaseRepo Repo(string name, string[]? dependsOn = null, bool excluded = false) =>
        new() { Name = name, DependsOn = [.. dependsOn ?? []], Excluded = excluded, HeadSha = $"{name}-head" };

    private static void AssertLayers(DeployOrder order, params string[][] expected)
    {
        Assert.Equal(expected.Length, order.Layers.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], order.Layers[i]);
        }
    }

    /// <summary>Which of <paramref name="candidates"/> the message mentions, sorted (the names must not contain each other).</summary>
    private static string[] NamesIn(string? message, params string[] candidates)
    {
        Assert.NotNull(message);
        return [.. candidates.Where(name => message.Contains(name, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }
}
