using AuthServer.Observability;
using AuthServer.Tokens.Requests;
using Microsoft.AspNetCore.Http.Features;

namespace AuthServer.Tokens;

/// <summary>
/// Counts each token and introspection answer once, as it starts, whichever path wrote it (the fast paths,
/// OpenIddict, the request guard, publishable keys): from its status, the error it carries
/// (<see cref="OAuthRequestDecisions.Error"/>) and what the request's decisions already say (an expired key, a
/// failed-authentication throttle, an active verdict). It decides nothing. It also names these endpoints in ASP.NET
/// Core's <c>http.server.request.duration</c>, which has no route for paths served without endpoint routing.
/// </summary>
public sealed class RecordOAuthOutcomes(RequestDelegate next, AuthServerMetrics metrics)
{
    // The token endpoint, then introspection (the two whose answers are counted), then the published documents.
    private static readonly string[] UnroutedPaths =
    [
        OpenIddictServerSetup.TokenPathWithSlash, OpenIddictServerSetup.IntrospectionPathWithSlash,
        "/.well-known/jwks", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
    ];

    public Task InvokeAsync(HttpContext context)
    {
        var index = IndexOf(context.Request.Path.Value);
        if (index < 0)
        {
            return next(context);
        }

        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("http.route", UnroutedPaths[index]));
        if (index < 2 && !HttpMethods.IsOptions(context.Request.Method)) // a preflight is no token request
        {
            // When the answer starts, not after it was sent: a client that reads the metrics next must see it counted.
            context.Response.OnStarting(static state =>
            {
                var (self, http, token) = ((RecordOAuthOutcomes, HttpContext, bool))state;
                self.Record(http, token, http.Response.StatusCode);
                return Task.CompletedTask;
            }, (this, context, index == 0));
        }

        return next(context);
    }

    private static int IndexOf(string? path)
    {
        for (var i = 0; i < UnroutedPaths.Length; i++)
        {
            if (string.Equals(UnroutedPaths[i], path, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private void Record(HttpContext context, bool token, int status)
    {
        var decisions = OAuthRequestDecisions.Of(context);
        if (token)
        {
            if (status == StatusCodes.Status200OK)
            {
                metrics.TokenIssued();
            }
            else
            {
                metrics.TokenRefused(TokenRefusal(status, decisions));
            }
        }
        else
        {
            metrics.Introspected(IntrospectionOutcome(status, decisions));
        }
    }

    internal static string TokenRefusal(int status, OAuthRequestDecisions decisions) => status switch
    {
        StatusCodes.Status429TooManyRequests => decisions.Authentication?.Outcome == AuthenticationOutcome.Throttled
            ? TokenRefusals.AuthenticationThrottled
            : TokenRefusals.Throttled,
        StatusCodes.Status503ServiceUnavailable => TokenRefusals.Unavailable,
        >= 500 => TokenRefusals.ServerError,
        _ when decisions.Error == TokenRefusals.InvalidClient && decisions.Authentication?.Outcome == AuthenticationOutcome.Expired => TokenRefusals.ExpiredKey,
        _ => decisions.Error ?? TokenRefusals.Other,
    };

    internal static string IntrospectionOutcome(int status, OAuthRequestDecisions decisions) => status switch
    {
        StatusCodes.Status200OK => decisions.Introspection?.Outcome == Requests.IntrospectionOutcome.Active
            ? IntrospectionOutcomes.Active
            : IntrospectionOutcomes.Inactive,
        StatusCodes.Status429TooManyRequests => IntrospectionOutcomes.Throttled,
        StatusCodes.Status503ServiceUnavailable => IntrospectionOutcomes.Unavailable,
        >= 500 => IntrospectionOutcomes.ServerError,
        _ => decisions.Error ?? IntrospectionOutcomes.Other,
    };
}
