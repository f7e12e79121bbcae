namespace AuthServer.Console.SingleSignOn;

/// <summary>
/// Section <c>Console:SingleSignOn</c>: sign-in to the console through the company's own OpenID Connect provider
/// (authorization code flow with PKCE). Off unless <see cref="Authority"/> is set.
/// </summary>
public sealed class SingleSignOnOptions
{
    public const string Section = "Console:SingleSignOn";

    /// <summary>The provider's issuer, e.g. <c>https://login.example.com</c>; its discovery document is read from there.</summary>
    public Uri? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Null for a public client (PKCE only).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The button's words: "Sign in with …".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>
    /// Link by an email the provider does not mark verified (no <c>email_verified</c> claim, as Microsoft Entra ID
    /// sends). Only for a provider whose emails the company alone assigns. Default false.
    /// </summary>
    public bool TrustUnverifiedEmails { get; set; }

    public bool Enabled => Authority is not null;
}
