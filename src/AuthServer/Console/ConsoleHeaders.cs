using AuthServer.Console.SingleSignOn;
using Microsoft.Extensions.Options;

namespace AuthServer.Console;

/// <summary>
/// Headers on every console response: a content security policy with no inline script, no framing, no referrer to other sites
/// (an invitation link carries its token), and no caching (pages show keys, members and once a secret).
/// </summary>
internal sealed class ConsoleHeaders(RequestDelegate next, IOptions<SingleSignOnOptions> singleSignOn)
{
    // The single sign-on button's form is answered with a redirect to the provider, which form-action governs too.
    private readonly string _contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; " +
        $"form-action 'self'{(singleSignOn.Value.Authority is { } provider ? " " + provider.GetLeftPart(UriPartial.Authority) : "")}; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _contentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin"; // other sites never see a console URL; our own posts keep their Origin (passkeys check it)
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
