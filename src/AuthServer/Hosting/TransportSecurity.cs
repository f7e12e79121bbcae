using System.Net;

namespace AuthServer.Hosting;

/// <summary>
/// Which requests may arrive over plain HTTP. Development: only from the loopback interface (so that curl works
/// out of the box on one's own machine). Elsewhere: none but the health probes. This is the only place that
/// decides it, for the fast paths and OpenIddict alike. Refusals at the OAuth endpoints are RFC 6749 JSON
/// errors, everywhere else problem details.
/// </summary>
public sealed class TransportSecurity(RequestDelegate next, IHostEnvironment environment, Observability.PrometheusScrape scrape)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.IsHttps || request.Path.StartsWithSegments("/health") || scrape.IsOnOwnPort(context))
        {
            return next(context);
        }

        if (environment.IsDevelopment())
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote)
                ? next(context)
                : RefuseAsync(context, "Plain HTTP is accepted from the loopback interface only.");
        }

        return RefuseAsync(context, "This server accepts HTTPS only.");
    }

    private static Task RefuseAsync(HttpContext context, string detail) =>
        Refusal.WriteAsync(context, StatusCodes.Status403Forbidden, "HTTPS required", detail);
}
