using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace AuthServer.Tokens.FastPath;

/// <summary>What the two fast paths share: when they may serve a request, the issuer, and how they answer.</summary>
public sealed class FastPathContext(IOptionsMonitor<OpenIddictServerOptions> server, IHostEnvironment environment)
{
    /// <summary>
    /// Plain HTTP only where it is accepted at all (Development, from loopback); otherwise OpenIddict, behind
    /// <see cref="Hosting.TransportSecurity"/>, answers the error.
    /// </summary>
    public bool MayServe(HttpContext context) =>
        context.Request.IsHttps ||
        (environment.IsDevelopment() && IsLocal(context.Connection.RemoteIpAddress));

    // No address: an in-process caller (the test server).
    private static bool IsLocal(System.Net.IPAddress? remote) => remote is null || System.Net.IPAddress.IsLoopback(remote);

    /// <summary>The configured issuer, or the request's base address normalised as OpenIddict does (host in lower case).</summary>
    public bool TryGetIssuer(HttpRequest request, out string issuer)
    {
        if (server.CurrentValue.Issuer is { } configured)
        {
            issuer = configured.AbsoluteUri;
            return true;
        }

        var ok = Uri.TryCreate($"{request.Scheme}://{request.Host}{request.PathBase}/", UriKind.Absolute, out var uri);
        issuer = ok ? uri!.AbsoluteUri : "";
        return ok;
    }

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
