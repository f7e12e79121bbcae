namespace AuthServer.ApiKeys;

/// <summary>
/// A key as lists and the admin API show it: never the secret, only its hint. <c>DirectUse</c>: whether resource
/// servers may accept the secret itself (<see cref="ApiKey.DirectUse"/>). <c>PublishableKey</c>: its publishable key, if it has one.
/// <c>TokensPerMinute</c> (null: the server's limit) and <c>AllowedAddresses</c> (empty: any address): its limits.
/// </summary>
public sealed record ApiKeyView(
    string KeyId,
    string AccountId,
    string Name,
    KeyEnvironment Environment,
    string SecretHint,
    IReadOnlyList<string> Scopes,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime? ExpiresAt,
    DateTime? LastUsedAt,
    ApiKeyStatus Status,
    DateTime? RevokedAt,
    string? RevokedBy,
    bool DirectUse,
    string? PublishableKey = null,
    PreviousSecretView? PreviousSecret = null,
    int? TokensPerMinute = null,
    IReadOnlyList<string>? AllowedAddresses = null)
{
    /// <param name="publishableKey">The key's publishable key (<see cref="Browser.PublishableKey"/>), shown beside it; not secret.</param>
    public static ApiKeyView From(
        ApiKey key, DateTime now, DateTime? lastUsedNotYetWritten = null, string? publishableKey = null, DateTime? previousLastUsedNotYetWritten = null) => new(
        key.Id,
        key.AccountId,
        key.Name,
        key.Environment,
        key.SecretHint,
        key.Scopes,
        key.CreatedAt,
        key.CreatedBy,
        key.ExpiresAt,
        Later(key.LastUsedAt, lastUsedNotYetWritten >= key.SecretRolledAt || key.SecretRolledAt is null ? lastUsedNotYetWritten : null), // earlier: the replaced secret's
        key.StatusAt(now),
        key.RevokedAt,
        key.RevokedBy,
        key.DirectUse,
        publishableKey,
        PreviousSecretView.Of(key, now, previousLastUsedNotYetWritten),
        key.TokensPerMinute,
        key.AllowedAddresses ?? []);

    internal static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}

/// <summary>
/// The result of creating a key: the only time the secret is ever shown. A retried request with the same
/// idempotency key gets the same key back without the secret (<see cref="Replayed"/>).
/// </summary>
public sealed record CreatedApiKey(ApiKeyView Key, string? Secret)
{
    public bool Replayed => Secret is null;
}

/// <summary>
/// The secret the last roll replaced: when its grace ends (or ended), whether it still works, and its own last use,
/// so its owner can see when it went quiet. Null for a key never rolled.
/// </summary>
public sealed record PreviousSecretView(DateTime GraceEndsAt, bool Accepted, DateTime? LastUsedAt)
{
    public static PreviousSecretView? Of(ApiKey key, DateTime now, DateTime? lastUsedNotYetWritten) =>
        key.PreviousSecretEndsAt is not { } endsAt ? null
            : new PreviousSecretView(endsAt, key.PreviousSecretHash is not null && KeySecretRule.PreviousAcceptedAt(endsAt, now),
                ApiKeyView.Later(key.PreviousSecretLastUsedAt, lastUsedNotYetWritten));
}
