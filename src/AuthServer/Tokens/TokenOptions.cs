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
}
