using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace AuthServer.Admin;

/// <summary>
/// Which admin scopes let a caller through an <see cref="AdminAccess"/>, for the OpenAPI document. Read off the
/// decision itself (<see cref="AdminCaller.RefusalFor"/>, for a caller of its own account), not written down twice.
/// </summary>
public static class AdminAccessScopes
{
    private const string OwnAccount = "own-account";

    /// <summary>The scopes any one of which is enough, weakest first.</summary>
    public static IReadOnlyList<string> Granting(AdminAccess access) =>
        [.. AdminScopes.Descriptions.Keys.Where(scope => CallerWith(scope).RefusalFor(access, OwnAccount) is null)];

    /// <summary>The access an endpoint declares with <see cref="AdminAccessPolicies.RequireAdmin"/>, or null.</summary>
    public static AdminAccess? DeclaredBy(IEnumerable<object> endpointMetadata)
    {
        var policies = endpointMetadata.OfType<IAuthorizeData>().Select(data => data.Policy).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var declared = Enum.GetValues<AdminAccess>().Where(access => policies.Contains(AdminAccessPolicies.NameOf(access))).ToList();
        return declared.Count == 1 ? declared[0] : null;
    }

    private static AdminCaller CallerWith(string scope)
    {
        var identity = new ClaimsIdentity("openapi");
        identity.SetScopes(scope);
        identity.SetClaim(Tokens.AccessTokenClaims.AccountId, OwnAccount);
        return AdminCaller.From(new ClaimsPrincipal(identity), new DefaultHttpContext());
    }
}
