using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Stores <see cref="Approvals"/> as an object keyed by each kind's slug (<c>{"dev": {"by": ..., "at": ...}}</c>),
/// with only the approvals given. A key this version does not know is skipped, not an error, so a
/// release stored by a later version with more kinds still loads.
/// </summary>
public sealed class ApprovalsJsonConverter : JsonConverter<Approvals>
{
    public override Approvals Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var approvals = new Approvals();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return approvals;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Approvals are stored as an object keyed by kind.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            reader.Read();
            var approval = JsonSerializer.Deserialize<Approval>(ref reader, options);
            if (ApprovalKindNames.TryParse(key, out var kind) && approval is not null)
            {
                approvals.Give(kind, approval);
            }
        }

        return approvals;
    }

    public override void Write(Utf8JsonWriter writer, Approvals value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (kind, approval) in value.Given())
        {
            writer.WritePropertyName(kind.Slug());
            JsonSerializer.Serialize(writer, approval, options);
        }

        writer.WriteEndObject();
    }
}
