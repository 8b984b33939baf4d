namespace OrleansReleases.Grains.Domain;

/// <summary>The order in which a release's repos are deployed.</summary>
/// <param name="Layers">Layer 1 first; the repos of one layer may deploy together.</param>
/// <param name="Error">Names the repos of each dependency cycle; null when every repo found a layer.</param>
[GenerateSerializer, Immutable]
public sealed record DeployOrder(IReadOnlyList<IReadOnlyList<string>> Layers, string? Error)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasCycle => Error is not null;

    /// <summary>
    /// The deploy-order rule: repos with no dependencies form layer 1; a repo whose dependencies
    /// all sit in earlier layers goes in the next layer; names are sorted within a layer.
    /// Excluded repos are left out and a dependency on one counts as met. When a cycle stops the
    /// layering, <see cref="Error"/> names the repos of each cycle and <see cref="Layers"/> keeps
    /// the layers that could be formed.
    /// </summary>
    public static DeployOrder Compute(IEnumerable<ReleaseRepo> repos)
    {
        var included = repos.Where(r => !r.Excluded).ToList();
        var includedNames = included.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        // Only dependencies on included repos constrain the order.
        var waitsFor = included.ToDictionary(
            r => r.Name,
            r => r.DependsOn.Where(includedNames.Contains).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

        var layers = new List<IReadOnlyList<string>>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = new SortedSet<string>(includedNames, StringComparer.Ordinal);
        while (remaining.Count > 0)
        {
            var layer = remaining.Where(name => waitsFor[name].IsSubsetOf(placed)).ToList();
            if (layer.Count == 0)
            {
                break;
            }

            layers.Add(layer);
            placed.UnionWith(layer);
            remaining.ExceptWith(layer);
        }

        var error = remaining.Count == 0 ? null : DescribeCycles(remaining, waitsFor);
        return new DeployOrder(layers, error);
    }

    /// <summary>
    /// Among the repos that found no layer, some form cycles and the others merely wait on a
    /// cycle. The message names the cycles themselves, each as a path that returns to its start.
    /// </summary>
    private static string DescribeCycles(SortedSet<string> unplaced, Dictionary<string, HashSet<string>> waitsFor)
    {
        var cycleComponents = StronglyConnected(unplaced, waitsFor)
            .Where(component => component.Count > 1 || waitsFor[component[0]].Contains(component[0]))
            .ToList();
        var cycles = cycleComponents
            .Select(component => DescribeCycle(component, waitsFor))
            .Order(StringComparer.Ordinal)
            .ToList();

        var message = cycles.Count == 1
            ? $"Dependency cycle: {cycles[0]}."
            : $"Dependency cycles: {string.Join("; ", cycles)}.";

        var blocked = unplaced.Except(cycleComponents.SelectMany(c => c), StringComparer.Ordinal).ToList();
        if (blocked.Count > 0)
        {
            message += $" Waiting on a cycle: {string.Join(", ", blocked)}.";
        }

        return message;
    }

    /// <summary>
    /// A loop found by walking from the smallest name, always to the smallest next repo, until the
    /// walk comes back. When the repos are tangled in more than that one loop, all of them are
    /// named too, so fixing the loop shown cannot leave a cycle the message never mentioned.
    /// </summary>
    private static string DescribeCycle(List<string> component, Dictionary<string, HashSet<string>> waitsFor)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var path = new List<string>();
        var current = component.Min(StringComparer.Ordinal)!;
        while (!path.Contains(current))
        {
            path.Add(current);
            current = waitsFor[current].Where(members.Contains).Min(StringComparer.Ordinal)!;
        }

        // The walk may enter the loop after a few steps; keep only the loop itself.
        var loop = path.Skip(path.IndexOf(current)).ToList();
        var shown = string.Join(" → ", loop.Append(current));
        return loop.Count == component.Count
            ? shown
            : $"{shown} (tangled with {string.Join(", ", component.Except(loop, StringComparer.Ordinal))})";
    }

    /// <summary>Tarjan's algorithm over the unplaced repos; each component is sorted by name.</summary>
    private static List<List<string>> StronglyConnected(SortedSet<string> nodes, Dictionary<string, HashSet<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();
        var counter = 0;

        void Visit(string node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges[node].Where(nodes.Contains).Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                component.Sort(StringComparer.Ordinal);
                result.Add(component);
            }
        }

        foreach (var node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }
}
