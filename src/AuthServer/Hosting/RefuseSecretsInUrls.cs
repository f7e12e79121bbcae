using AuthServer.Clients;
using AuthServer.Secrets;

namespace AuthServer.Hosting;

/// <summary>
/// A URL whose path or query holds something shaped like a secret is refused (400) before routing, which logs
/// the path at Debug, and before OpenIddict, which logs a discovery request's query at Information. The answer
/// does not echo the URL. Must run before <c>UseRouting</c>.
/// </summary>
public sealed class RefuseSecretsInUrls(RequestDelegate next)
{
    public const string Detail = "A secret must never be put in a URL: URLs end up in logs, proxies and browser histories. Revoke this secret and send the new one only in the Authorization header or the request body.";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var query = request.QueryString.Value;
        if (ClientSecret.LooksLikeSecret(request.Path.Value) ||
            (query is { Length: > 0 } && ClientSecret.LooksLikeSecret(Uri.UnescapeDataString(query))))
        {
            return Refusal.WriteAsync(context, StatusCodes.Status400BadRequest, "Secret in URL", Detail);
        }

        return next(context);
    }
}
