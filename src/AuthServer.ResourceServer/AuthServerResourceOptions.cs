namespace AuthServer.ResourceServer;

/// <summary>How a resource server decides whether an access token is valid.</summary>
public enum TokenValidationMode
{
    /// <summary>Checks the signature with the AuthServer's published keys (JWKS): no call to the AuthServer per request.</summary>
    Local,

    /// <summary>Asks the AuthServer's introspection endpoint on every request: a revoked key is refused at once.</summary>
    Introspection,
}

/// <summary>Section <c>AuthServer</c> of a resource server's configuration.</summary>
public sealed class AuthServerResourceOptions
{
    public const string Section = "AuthServer";

    /// <summary>The AuthServer's issuer, exactly as in its tokens' <c>iss</c>, e.g. <c>https://auth.example.com/</c>.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>This API's resource-server name: tokens must carry it in <c>aud</c>.</summary>
    public string? Audience { get; set; }

    public TokenValidationMode Mode { get; set; } = TokenValidationMode.Local;

    /// <summary>For introspection and for following revocations: the client_id of this API at the AuthServer; defaults to <see cref="Audience"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The secret given by <c>resources create NAME --introspection</c>: required for introspection, and in Local mode
    /// what the revocation stream is followed with (<see cref="FollowRevocations"/>).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Local mode with <see cref="ClientSecret"/>: follow the AuthServer's revocation stream, so that a revoked key's
    /// tokens are refused within about a second rather than at their <c>exp</c>. No per-request call either way.
    /// </summary>
    public bool FollowRevocations { get; set; } = true;

    /// <summary>How often the discovery document and signing keys are re-read in the background.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A token signed by a key that is not in the cache makes the keys be re-read at once, but not more often
    /// than this, so that tokens with made-up key IDs cannot turn into a stream of requests to the AuthServer.
    /// </summary>
    public TimeSpan MinimumKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bound on one request to the AuthServer (discovery, keys or introspection), retries included.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Also accept an AuthServer key's secret itself, in <c>x-api-key</c> or <c>Authorization: Bearer</c>: it is
    /// authenticated by introspecting the key with this API's credentials (<see cref="ClientSecret"/> is required).
    /// </summary>
    public bool AcceptApiKeys { get; set; }

    /// <summary>How long the AuthServer's "this key is valid" is kept: a revoked key is refused within this (plus the AuthServer's own 1 s).</summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long "this key is not valid" is kept, so a client repeating a bad key does not reach the AuthServer each time.</summary>
    public TimeSpan ApiKeyNegativeCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>live</c> or <c>test</c>: accept only tokens of keys of that environment (AuthServer writes it in the
    /// <c>environment</c> claim); others get 401 <c>invalid_token</c> naming the environment. Unset: both. A token
    /// without the claim was issued before keys had environments, by a live key, and counts as live.
    /// </summary>
    public string? AcceptedEnvironment { get; set; }

    internal string EffectiveClientId => string.IsNullOrEmpty(ClientId) ? Audience! : ClientId;
}
