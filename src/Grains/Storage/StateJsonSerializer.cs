using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// Stores grain state as plain camelCase JSON without .NET type names, so renaming or moving a
/// state class never makes old rows unreadable (Orleans' default JSON embeds "$type").
/// </summary>
public sealed class StateJsonSerializer : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options)!;
}
