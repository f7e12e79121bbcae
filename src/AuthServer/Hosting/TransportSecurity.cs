using System.Net;

namespace AuthServer.Hosting;

/// <summary>
/// Which requests may arrive over plain HTTP. Development: only from the loopback interface (so that curl works
/// out of the box on one's own machine). Elsewhere: none, except the health probes; the OAuth endpoints get
/// OpenIddict's own RFC 6749 error, everything else a problem-details 403.
/// </summary>
public sealed class TransportSecurity(RequestDelegate next, IHostEnvironment environment)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.IsHttps || request.Path.StartsWithSegments("/health") || IsOAuthEndpoint(request.Path))
        {
            return next(context);
        }

        var remote = context.Connection.RemoteIpAddress;
        if (environment.IsDevelopment() && (remote is null || IPAddress.IsLoopback(remote)))
        {
            return next(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "HTTPS required",
            detail: environment.IsDevelopment()
                ? "Plain HTTP is accepted from the loopback interface only."
                : "This server accepts HTTPS only.").ExecuteAsync(context);
    }

    // OpenIddict answers plain-HTTP requests to its endpoints itself, in the protocol's own error format.
    private static bool IsOAuthEndpoint(PathString path) =>
        path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known");
}
