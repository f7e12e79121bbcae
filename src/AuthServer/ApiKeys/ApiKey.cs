namespace AuthServer.ApiKeys;

/// <summary>
/// The lifecycle record of an API key. Its credentials live in the OpenIddict application whose
/// client_id is <see cref="Id"/>; that row is deleted on revocation, this one stays as the audit trace.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Name { get; set; }

    /// <summary>Fixed at creation, never changed.</summary>
    public required List<string> Scopes { get; init; }

    /// <summary>Fixed at creation; keys made before environments existed are live.</summary>
    public KeyEnvironment Environment { get; init; }

    /// <summary>A non-secret reminder of the secret, e.g. <c>authsk_live_...Xy7Q</c>.</summary>
    public required string SecretHint { get; init; }

    public DateTime CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTime? ExpiresAt { get; set; }

    /// <summary>Written in batches by <c>KeyUsageFlusher</c>, never per request.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>
    /// The secret's SHA-256 (as <c>Secrets.ClientSecret.Hash</c> writes it), so that a secret presented directly to a
    /// resource server leads to its key; erased on revocation, like the credentials row.
    /// </summary>
    public string? SecretHash { get; set; }

    /// <summary>Whether a resource server may authenticate a caller by this key's secret itself (introspection of the key); default yes.</summary>
    public bool DirectUse { get; set; } = true;

    public string? RevokedBy { get; set; }

    /// <summary>
    /// The secret replaced by the last roll, accepted until <see cref="PreviousSecretEndsAt"/>
    /// (<see cref="KeySecretRule"/>); erased when its grace is ended early and on revocation.
    /// </summary>
    public string? PreviousSecretHash { get; set; }

    /// <summary>When the previous secret stops working; in the past once its grace is over.</summary>
    public DateTime? PreviousSecretEndsAt { get; set; }

    /// <summary>The previous secret's last use, written in batches like <see cref="LastUsedAt"/>.</summary>
    public DateTime? PreviousSecretLastUsedAt { get; set; }

    /// <summary>When the current secret replaced the previous one; uses recorded before it belong to the previous secret.</summary>
    public DateTime? SecretRolledAt { get; set; }

    /// <summary>The key's own limit of token requests per minute; null: the server's <c>Throttling:TokensPerKey</c>.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>CIDR blocks token requests must come from (<see cref="Limits.AllowedAddressRule"/>); null or empty: any address.</summary>
    public List<string>? AllowedAddresses { get; set; }

    public ApiKeyStatus StatusAt(DateTime now) => ApiKeyStatusRule.StatusOf(RevokedAt, ExpiresAt, now);
}

public enum ApiKeyStatus
{
    Active,
    Expired,
    Revoked,
}
