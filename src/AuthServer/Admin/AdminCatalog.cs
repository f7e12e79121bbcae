using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Resources;
using AuthServer.Scopes;

namespace AuthServer.Admin;

/// <summary>Makes sure the admin API's resource server and scopes exist (on every start; several instances may race).</summary>
public sealed class AdminCatalog(ResourceServerService resources, ScopeService scopes) : IDatabaseSeed
{
    private static readonly Actor System = new("system", "local");

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var existingResources = (await resources.ListAsync(cancellationToken)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (!existingResources.Contains(AdminScopes.Audience))
        {
            await IgnoreConflict(() => resources.CreateAsync(AdminScopes.Audience, "The AuthServer admin API", System, cancellationToken));
        }

        var existingScopes = (await scopes.ListAsync(cancellationToken)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (scope, description) in AdminScopes.Descriptions)
        {
            if (!existingScopes.Contains(scope))
            {
                await IgnoreConflict(() => scopes.CreateAsync(scope, description, [AdminScopes.Audience], System, cancellationToken));
            }
        }
    }

    /// <summary>Another instance created it first: that is the outcome we wanted.</summary>
    private static async Task IgnoreConflict(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (ConflictException)
        {
        }
    }
}
