namespace AuthServer.Failures;

/// <summary>
/// A request that cannot be carried out as asked. The message is meant for the caller: it is shown by the
/// CLI as one line and by the admin API as the problem detail. Messages echo what the caller sent (a name, an
/// ID), so anything shaped like a secret is redacted from them here, once for all.
/// </summary>
public abstract class AuthServerException(string message) : Exception(Secrets.ClientSecret.Redact(message));

/// <summary>A field of the request is invalid.</summary>
public sealed class InvalidFieldException(string field, string message) : AuthServerException(message)
{
    public string Field { get; } = field;
}

/// <summary>The thing named does not exist (or, for another account's thing, must not be revealed).</summary>
public sealed class NotFoundException(string message) : AuthServerException(message);

/// <summary>The request conflicts with the current state, e.g. a name already taken or a key already revoked.</summary>
public sealed class ConflictException(string message) : AuthServerException(message);

/// <summary>The account already has as many active keys of one environment as its limit allows.</summary>
/// <param name="environment">The environment's name (test or live): the limit counts each on its own.</param>
public sealed class KeyLimitReachedException(string accountId, int limit, int activeKeys, string environment)
    : AuthServerException($"Account '{accountId}' already has {activeKeys} active {environment} keys; its limit is {limit} per environment. Revoke a key or ask an operator to raise the limit.")
{
    public string Environment { get; } = environment;

    public string AccountId { get; } = accountId;

    public int Limit { get; } = limit;

    public int ActiveKeys { get; } = activeKeys;
}

/// <summary>An idempotency key was sent again with a different request.</summary>
public sealed class IdempotencyKeyReusedException(string idempotencyKey)
    : AuthServerException($"The Idempotency-Key '{idempotencyKey}' was already used for a different request; use a new key for a new request.");

/// <summary>The caller is authenticated but its token lacks the scope this needs.</summary>
public sealed class InsufficientScopeException(string requiredScope)
    : AuthServerException($"This needs the scope '{requiredScope}'.")
{
    public string RequiredScope { get; } = requiredScope;
}
