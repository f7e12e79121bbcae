namespace AuthServer.ApiKeys;

/// <summary>
/// Remembers which key a create request with an <c>Idempotency-Key</c> produced, so that a retry returns
/// the same key instead of creating a second one. Scoped to the account.
/// </summary>
public sealed class IdempotentKeyCreation
{
    public const int MaxKeyLength = 100;

    public required string AccountId { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the request, to tell a retry from a different request reusing the key.</summary>
    public required string RequestHash { get; init; }

    public required string KeyId { get; init; }

    public DateTime CreatedAt { get; init; }
}
