using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace AuthServer.Tokens.FastPath;

/// <summary>What the two fast paths share: when they may serve a request, the issuer, and how they answer.</summary>
public sealed class FastPathContext(IOptionsMonitor<OpenIddictServerOptions> server, IHostEnvironment environment)
{
    /// <summary>Plain HTTP only where OpenIddict accepts it too (Development); otherwise OpenIddict answers the error.</summary>
    public bool MayServe(HttpRequest request) => request.IsHttps || environment.IsDevelopment();

    /// <summary>The configured issuer, or the request's base address, as OpenIddict determines it.</summary>
    public string IssuerOf(HttpRequest request) =>
        server.CurrentValue.Issuer?.AbsoluteUri ?? $"{request.Scheme}://{request.Host}{request.PathBase}/";

    public static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = body.WrittenCount;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }
}
