using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Scopes;

/// <param name="LiveOnly">Test keys may not hold or use the scope (<see cref="LiveOnlyScopes"/>).</param>
public sealed record ScopeView(string Name, string? Description, IReadOnlyList<string> Resources, bool LiveOnly);

/// <summary>
/// Operators define scopes: a name, a description, the resource servers it grants access to, and whether it is
/// live-only. Scopes are OpenIddict scopes; name, description and resource servers never change, because keys
/// holding them cannot change either. The live-only mark can: marking a scope closes it to test keys that hold
/// it, at the token endpoint, within the change feed's bound (their cached entries are evicted).
/// </summary>
public sealed partial class ScopeService(IOpenIddictScopeManager manager, AuthDbContext db, AuditLog audit, ClientChangeLog changes, ClientDirectory directory)
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 200;

    public async Task<ScopeView> CreateAsync(
        string name, string? description, IReadOnlyCollection<string> resources, Actor actor, CancellationToken cancellationToken, bool liveOnly = false)
    {
        TextRule.Require("name", name);
        TextRule.Require("description", description);
        foreach (var resource in resources)
        {
            TextRule.Require("resources", resource);
        }

        if (!IsValidName(name))
        {
            throw new InvalidFieldException("name", $"A scope name is 1 to {MaxNameLength} letters, digits or ':' '.' '_' '-', starting with a letter or digit.");
        }

        if (description?.Length > MaxDescriptionLength)
        {
            throw new InvalidFieldException("description", $"A scope description is at most {MaxDescriptionLength} characters.");
        }

        var audiences = resources.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (audiences.Count == 0)
        {
            throw new InvalidFieldException("resources", "A scope grants access to at least one resource server; name it with --resource.");
        }

        var known = await db.ResourceServers.Where(r => audiences.Contains(r.Name)).Select(r => r.Name).ToListAsync(cancellationToken);
        var unknown = audiences.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidFieldException("resources", $"Unknown resource server(s): {string.Join(", ", unknown)}. Create them first.");
        }

        if (await manager.FindByNameAsync(name, cancellationToken) is not null)
        {
            throw new ConflictException($"A scope named '{name}' already exists.");
        }

        var descriptor = new OpenIddictScopeDescriptor { Name = name, Description = description };
        descriptor.Resources.UnionWith(audiences);
        if (liveOnly)
        {
            descriptor.Properties[LiveOnlyScopes.Property] = JsonSerializer.SerializeToElement(true);
        }

        audit.Record(actor, AuditActions.ScopeCreated, name, accountId: null, new { description, Resources = audiences, LiveOnly = liveOnly });
        try
        {
            await manager.CreateAsync(descriptor, cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException($"A scope named '{name}' already exists.");
        }

        return new ScopeView(name, description, audiences, liveOnly);
    }

    /// <summary>
    /// Marks the scope live-only, or opens it to test keys again. Test keys that already hold it keep it on their
    /// record but can no longer get tokens with it (the token endpoint asks the same rule as key creation).
    /// </summary>
    public async Task<ScopeView> SetLiveOnlyAsync(string name, bool liveOnly, Actor actor, CancellationToken cancellationToken)
    {
        TextRule.Require("name", name);
        var scope = await manager.FindByNameAsync(name, cancellationToken);
        if (scope is null || await manager.GetNameAsync(scope, cancellationToken) != name)
        {
            throw new NotFoundException($"No scope '{name}'.");
        }

        var descriptor = new OpenIddictScopeDescriptor();
        await manager.PopulateAsync(descriptor, scope, cancellationToken);
        if (liveOnly)
        {
            descriptor.Properties[LiveOnlyScopes.Property] = JsonSerializer.SerializeToElement(true);
        }
        else
        {
            descriptor.Properties.Remove(LiveOnlyScopes.Property);
        }

        // Every test key holding the scope is re-read by every instance's directory within the change feed's bound.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var holders = await db.ApiKeys.Where(k => k.Environment == KeyEnvironment.Test && k.RevokedAt == null && k.Scopes.Contains(name))
            .Select(k => k.Id).ToListAsync(cancellationToken);
        foreach (var holder in holders)
        {
            changes.Add(holder);
        }

        audit.Record(actor, liveOnly ? AuditActions.ScopeMarkedLiveOnly : AuditActions.ScopeOpenedToTestKeys, name, accountId: null, new { LiveOnly = liveOnly });
        await db.SaveChangesAsync(cancellationToken);
        await manager.UpdateAsync(scope, descriptor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var holder in holders)
        {
            directory.Evict(holder); // this instance at once; the others through the feed
        }

        var resources = await manager.GetResourcesAsync(scope, cancellationToken);
        return new ScopeView(name, descriptor.Description, resources.Order(StringComparer.Ordinal).ToList(), liveOnly);
    }

    public async Task<IReadOnlyList<ScopeView>> ListAsync(CancellationToken cancellationToken)
    {
        var scopes = await db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking()
            .OrderBy(s => s.Name)
            .ToListAsync(cancellationToken);

        var views = new List<ScopeView>(scopes.Count);
        foreach (var scope in scopes)
        {
            var resources = await manager.GetResourcesAsync(scope, cancellationToken);
            var properties = await manager.GetPropertiesAsync(scope, cancellationToken);
            views.Add(new ScopeView(scope.Name!, scope.Description, resources.Order(StringComparer.Ordinal).ToList(), LiveOnlyScopes.IsMarked(properties)));
        }

        return views;
    }

    /// <summary>The names among <paramref name="names"/> that are not defined scopes.</summary>
    public async Task<IReadOnlyList<string>> FindUndefinedAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var defined = await db.Set<OpenIddictEntityFrameworkCoreScope>()
            .Where(s => names.Contains(s.Name!))
            .Select(s => s.Name!)
            .ToListAsync(cancellationToken);
        return names.Except(defined, StringComparer.Ordinal).ToImmutableArray();
    }

    public static bool IsValidName(string name) => ScopeNamePattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}\z")]
    private static partial Regex ScopeNamePattern();
}
