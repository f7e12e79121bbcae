namespace AuthServer.Tokens;

/// <summary>Section <c>Tokens</c>.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>Lifetime of access tokens; a token never outlives the key it was issued to.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>iss</c> of every token and the base of discovery. Unset: taken from each request's host, which
    /// is fine for one instance; several instances behind a load balancer must set the same value.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Serve the usual token and introspection requests without OpenIddict's generic pipeline (same checks, same
    /// answers, about a fifth of the CPU). Off: every request goes through OpenIddict; the tests run both ways.
    /// </summary>
    public bool FastPaths { get; set; } = true;
}
