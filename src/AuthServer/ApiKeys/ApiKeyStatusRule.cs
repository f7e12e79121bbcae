using System.Linq.Expressions;

namespace AuthServer.ApiKeys;

/// <summary>
/// The one rule for a key's status: revoked if it was revoked, else expired once its expiry has passed, else
/// active. Written twice only in form: as an expression for database queries and as a function for rows and
/// cached snapshots already in memory; <c>ApiKeyStatusRuleTests</c> holds the two to the same answers.
/// </summary>
public static class ApiKeyStatusRule
{
    public static ApiKeyStatus StatusOf(DateTime? revokedAt, DateTime? expiresAt, DateTime now) =>
        revokedAt is not null ? ApiKeyStatus.Revoked
        : expiresAt <= now ? ApiKeyStatus.Expired
        : ApiKeyStatus.Active;

    public static Expression<Func<ApiKey, bool>> IsActiveAt(DateTime now) =>
        key => key.RevokedAt == null && (key.ExpiresAt == null || key.ExpiresAt > now);

    public static Expression<Func<ApiKey, bool>> IsExpiredAt(DateTime now) =>
        key => key.RevokedAt == null && key.ExpiresAt <= now;

    public static Expression<Func<ApiKey, bool>> IsRevoked { get; } = key => key.RevokedAt != null;

    public static Expression<Func<ApiKey, bool>> HasStatusAt(ApiKeyStatus status, DateTime now) => status switch
    {
        ApiKeyStatus.Active => IsActiveAt(now),
        ApiKeyStatus.Expired => IsExpiredAt(now),
        _ => IsRevoked,
    };
}
