using Microsoft.AspNetCore.Authorization;

namespace AuthServer.ResourceServer.Scopes;

/// <summary>The token must have been granted every one of <see cref="Scopes"/>. Its own handler.</summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public ScopeRequirement(IEnumerable<string> scopes)
    {
        Scopes = scopes.ToArray();
        if (Scopes.Count == 0 || Scopes.Any(scope => string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Name at least one scope; a scope has no spaces.", nameof(scopes));
        }
    }

    public IReadOnlyList<string> Scopes { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = context.User.GetScopes();
        if (requirement.Scopes.All(granted.Contains))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public override string ToString() => $"Scope requirement: {string.Join(' ', Scopes)}";
}
