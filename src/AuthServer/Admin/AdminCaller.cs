using System.Security.Claims;
using AuthServer.Audit;
using AuthServer.Failures;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Admin;

public enum AdminLevel
{
    None,
    Viewer,
    Administrator,
    Operator,
}

/// <summary>
/// Who is calling the admin API, read from its access token: the admin key, the account the key belongs to,
/// and what its scopes allow. An account-bound caller asking for another account's things gets "not found",
/// so that it cannot learn they exist.
/// </summary>
public sealed record AdminCaller(string KeyId, string AccountId, AdminLevel Level, string Address)
{
    public Actor Actor => new(KeyId, Address);

    public static AdminCaller From(ClaimsPrincipal principal, HttpContext context)
    {
        var level = principal.HasScope(AdminScopes.Operator) ? AdminLevel.Operator
            : principal.HasScope(AdminScopes.ManageKeys) ? AdminLevel.Administrator
            : principal.HasScope(AdminScopes.ReadKeys) ? AdminLevel.Viewer
            : AdminLevel.None;
        return new AdminCaller(
            principal.GetClaim(Claims.ClientId) ?? "",
            principal.GetClaim(AccessTokenClaims.AccountId) ?? "",
            level,
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>Lets minimal API handlers take the caller as a parameter.</summary>
    public static ValueTask<AdminCaller?> BindAsync(HttpContext context) => ValueTask.FromResult<AdminCaller?>(From(context.User, context));

    /// <summary>Why this caller may not have <paramref name="access"/> (to <paramref name="accountId"/>), or null when it may.</summary>
    public AuthServerException? RefusalFor(AdminAccess access, string? accountId) => access switch
    {
        AdminAccess.AnyAdmin => Level >= AdminLevel.Viewer ? null : new InsufficientScopeException(AdminScopes.ReadKeys),
        AdminAccess.Operator => Level == AdminLevel.Operator ? null : new InsufficientScopeException(AdminScopes.Operator),
        AdminAccess.ReadAccount => AccountRefusal(accountId, AdminLevel.Viewer, AdminScopes.ReadKeys),
        _ => AccountRefusal(accountId, AdminLevel.Administrator, AdminScopes.ManageKeys),
    };

    /// <summary>For what only the body tells, e.g. a key with the operator scope.</summary>
    public void RequireOperator()
    {
        if (RefusalFor(AdminAccess.Operator, accountId: null) is { } refusal)
        {
            throw refusal;
        }
    }

    private AuthServerException? AccountRefusal(string? accountId, AdminLevel needed, string scope) =>
        Level == AdminLevel.Operator ? null
        : !string.Equals(accountId, AccountId, StringComparison.Ordinal) ? Accounts.AccountService.NoAccount(accountId ?? "")
        : Level < needed ? new InsufficientScopeException(scope)
        : null;
}
