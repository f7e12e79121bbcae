using AuthServer.Clients;
using Microsoft.AspNetCore;
using OpenIddict.Server;

namespace AuthServer.Tokens.Requests;

/// <summary>
/// What has been decided about one OAuth request, kept in <see cref="HttpContext.Features"/> so that each check
/// runs once whichever path serves the request: the fast path decides, and when it hands the request on,
/// OpenIddict's handlers read the same decisions instead of deciding again. So a client is authenticated once
/// (one database wait at most), a key pays one permit, a token is planned once, a token is judged once.
/// </summary>
public sealed class OAuthRequestDecisions
{
    public ClientAuthentication? Authentication { get; set; }

    public KeyPermit? Permit { get; set; }

    public PlannedToken? Plan { get; set; }

    public IntrospectionVerdict? Introspection { get; set; }

    /// <summary>The RFC 6749 error the answer carries, noted by whoever writes it (for <see cref="RecordOAuthOutcomes"/>).</summary>
    public string? Error { get; set; }

    /// <summary>The client that authenticated this request; for the handlers that run after authentication.</summary>
    public ClientSnapshot AuthenticatedClient =>
        Authentication is { Succeeded: true, Client: { } client }
            ? client
            : throw new InvalidOperationException("The client was not authenticated before this handler ran.");

    public static OAuthRequestDecisions Of(OpenIddictServerTransaction transaction) => Of(HttpContextOf(transaction));

    public static HttpContext HttpContextOf(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest()?.HttpContext ?? throw new InvalidOperationException("AuthServer's OAuth endpoints are served through ASP.NET Core only.");

    public static OAuthRequestDecisions Of(HttpContext context)
    {
        var decisions = context.Features.Get<OAuthRequestDecisions>();
        if (decisions is null)
        {
            decisions = new OAuthRequestDecisions();
            context.Features.Set(decisions);
        }

        return decisions;
    }
}

/// <summary>Whether the key may have another token now (<see cref="Throttling.TokenRequestThrottle"/>).</summary>
public readonly record struct KeyPermit(bool Granted, TimeSpan RetryAfter);

/// <summary>The token planned for a request; no plan when the database could not be read.</summary>
public readonly record struct PlannedToken(AccessTokenPlan? Plan);
