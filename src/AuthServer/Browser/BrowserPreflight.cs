using AuthServer.Data;
using AuthServer.Tokens;

namespace AuthServer.Browser;

/// <summary>
/// Answers CORS preflights (<c>OPTIONS</c>) for the token endpoint, before the request guard (which admits only
/// <c>POST</c>): 204 with a CORS grant for an origin some publishable key allows, else an RFC 6749 error without one.
/// A page's usual token request (a form POST) needs no preflight; this serves pages that send more.
/// </summary>
public sealed class BrowserPreflight(RequestDelegate next, AllowedOriginIndex origins)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsOptions(request.Method) || !request.Path.Equals(OpenIddictServerSetup.TokenPathWithSlash, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        bool allowed;
        var origin = Origin.Parse(request.Headers.Origin);
        try
        {
            allowed = origin is { } o && await origins.AllowsAsync(o, context.RequestAborted);
        }
        catch (DatabaseUnavailableException)
        {
            context.Response.Headers.RetryAfter = "1";
            await OAuthErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable",
                "The server cannot read the allowed origins right now; retry shortly.");
            return;
        }

        if (!allowed)
        {
            await OAuthErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request",
                "No publishable key allows this origin: add it to the key's allowed origins.");
            return;
        }

        CorsGrant.ApplyPreflight(context.Response, origin!.Value.Value);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
