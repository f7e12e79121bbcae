using System.Buffers;
using System.Text.Json;
using OpenIddict.Abstractions;

namespace AuthServer.Tokens.Answers;

/// <summary>Writes an answer's fields as the fast paths' 200 response, with the headers OpenIddict sends (never cached).</summary>
public static class OAuthJson
{
    public static async Task WriteAsync(HttpContext context, IEnumerable<KeyValuePair<string, OpenIddictParameter>> fields)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }

            json.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = body.WrittenCount;
        NeverCache(response);
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>RFC 6749 §5.1 for token responses; the same for introspection answers, which change at revocation.</summary>
    public static void NeverCache(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
    }
}
