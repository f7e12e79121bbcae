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

    public void RequireRead(string accountId) => RequireAccount(accountId, AdminLevel.Viewer, AdminScopes.ReadKeys);

    public void RequireManage(string accountId) => RequireAccount(accountId, AdminLevel.Administrator, AdminScopes.ManageKeys);

    public void RequireOperator()
    {
        if (Level != AdminLevel.Operator)
        {
            throw new InsufficientScopeException(AdminScopes.Operator);
        }
    }

    private void RequireAccount(string accountId, AdminLevel needed, string scope)
    {
        if (Level == AdminLevel.Operator)
        {
            return;
        }

        if (!string.Equals(accountId, AccountId, StringComparison.Ordinal))
        {
            throw new NotFoundException($"No account '{accountId}'.");
        }

        if (Level < needed)
        {
            throw new InsufficientScopeException(scope);
        }
    }
}
