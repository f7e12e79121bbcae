using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthServer.Admin;

/// <summary>
/// Lists of strings in admin bodies (scopes, resources): System.Text.Json would let a null element through, which
/// the contract does not allow and the validation after it does not expect.
/// </summary>
internal sealed class StringListConverter : JsonConverter<List<string>>
{
    public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException();
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => throw new NullElementException(),
                _ => throw new JsonException(),
            });
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>A null where a list allows only strings; System.Text.Json adds the path when it passes it on.</summary>
internal sealed class NullElementException() : JsonException("A list element is null.");
