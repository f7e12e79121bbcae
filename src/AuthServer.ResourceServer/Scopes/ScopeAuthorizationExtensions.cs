using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using OpenIddict.Validation.AspNetCore;

namespace AuthServer.ResourceServer.Scopes;

public static class ScopeAuthorizationExtensions
{
    /// <summary>Requires a valid AuthServer token granted all of <paramref name="scopes"/>.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes) =>
        policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(scopes));

    /// <summary>On an endpoint or route group: <c>app.MapGet(...).RequireScope("invoices:read")</c>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(policy => policy.RequireScope(scopes));

    /// <summary>One named policy per scope, named after it, for <c>[Authorize(Policy = "invoices:read")]</c>.</summary>
    public static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder authorization, params string[] scopes)
    {
        foreach (var scope in scopes)
        {
            authorization.AddPolicy(scope, policy => policy.RequireScope(scope));
        }

        return authorization;
    }
}
