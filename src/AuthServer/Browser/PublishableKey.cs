namespace AuthServer.Browser;

/// <summary>
/// A key's browser mode: its publishable key (not secret, safe in a page's source), the origins pages may use it
/// from, and the key's signing secret for identity tokens, encrypted with ASP.NET Core Data Protection
/// (<see cref="SigningSecretProtector"/>). At most one per API key; revoking the key disables it.
/// </summary>
public sealed class PublishableKey
{
    /// <summary>The API key (<c>ak_…</c>) this publishable key acts for.</summary>
    public required string KeyId { get; init; }

    /// <summary>The publishable key itself (<see cref="PublishableKeyFormat"/>); replaced when regenerated.</summary>
    public required string Id { get; set; }

    /// <summary>Exact origins and wildcard-subdomain patterns (<see cref="OriginPattern"/>); empty = usable from no browser.</summary>
    public required List<string> AllowedOrigins { get; set; }

    /// <summary>The signing secret, as Data Protection protected it; null until one is generated.</summary>
    public string? ProtectedSigningSecret { get; set; }

    public DateTime? SigningSecretCreatedAt { get; set; }

    /// <summary>
    /// The signing secret's SHA-256 (as for key secrets), beside its encrypted form: only so that a leak report can
    /// find the key a reported signing secret belongs to. Null for secrets generated before it was kept.
    /// </summary>
    public string? SigningSecretHash { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }
}
