namespace SampleApi.Browser;

/// <summary>
/// Section <c>SampleApi:Browser</c>: the browser page at <c>/browser/</c>, served only when
/// <see cref="PublishableKey"/> is set. <see cref="SigningSecret"/> (the API key's signing secret) lets the page's
/// sample backend sign end users in and mint their identity tokens; it never leaves this server.
/// </summary>
public sealed class BrowserOptions
{
    public const string Section = "SampleApi:Browser";

    public static readonly TimeSpan MaxIdentityTokenLifetime = TimeSpan.FromHours(1);

    public string? PublishableKey { get; set; }

    public string? SigningSecret { get; set; }

    public string Scope { get; set; } = "invoices:read invoices:write";

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrEmpty(PublishableKey);

    public bool SignInAvailable => Enabled && !string.IsNullOrEmpty(SigningSecret);
}
