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

/// <param name="LiveOnly">Test keys may not hold or use the scope (<see cref="ScopeMark.LiveOnly"/>).</param>
/// <param name="Publishable">Publishable keys may reach the scope from browsers (<see cref="ScopeMark.Publishable"/>).</param>
public sealed record ScopeView(string Name, string? Description, IReadOnlyList<string> Resources, bool LiveOnly, bool Publishable = false);

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
        ScopeMark.LiveOnly.Set(descriptor.Properties, liveOnly);
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
    public Task<ScopeView> SetLiveOnlyAsync(string name, bool liveOnly, Actor actor, CancellationToken cancellationToken) =>
        SetMarksAsync(name, liveOnly, publishable: null, actor, cancellationToken);

    /// <summary>
    /// Sets the live-only mark and/or the publishable mark (publishable keys of the keys holding the scope may reach it
    /// from browsers) in one transaction. Admin scopes are never publishable: a page must not administer AuthServer.
    /// Every live key the change concerns is re-read by every instance's directory within the change feed's bound
    /// (its publishable key with it).
    /// </summary>
    public async Task<ScopeView> SetMarksAsync(string name, bool? liveOnly, bool? publishable, Actor actor, CancellationToken cancellationToken)
    {
        TextRule.Require("name", name);
        if (liveOnly is null && publishable is null)
        {
            throw new InvalidFieldException("body", "Nothing to change: give liveOnly and/or publishable (true or false).");
        }

        if (publishable == true && Admin.AdminScopes.IsAdminScope(name))
        {
            throw new InvalidFieldException("publishable", $"The scope '{name}' administers AuthServer; it can never be reached from a browser.");
        }

        var scope = await manager.FindByNameAsync(name, cancellationToken);
        if (scope is null || await manager.GetNameAsync(scope, cancellationToken) != name)
        {
            throw new NotFoundException($"No scope '{name}'.");
        }

        var descriptor = new OpenIddictScopeDescriptor();
        await manager.PopulateAsync(descriptor, scope, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (liveOnly is { } l)
        {
            ScopeMark.LiveOnly.Set(descriptor.Properties, l);
            audit.Record(actor, l ? AuditActions.ScopeMarkedLiveOnly : AuditActions.ScopeOpenedToTestKeys, name, accountId: null, new { LiveOnly = l });
        }

        if (publishable is { } p)
        {
            ScopeMark.Publishable.Set(descriptor.Properties, p);
            audit.Record(actor, p ? AuditActions.ScopeMarkedPublishable : AuditActions.ScopeWithdrawnFromBrowsers, name, accountId: null, new { Publishable = p });
        }

        var holders = await db.ApiKeys
            .Where(k => k.RevokedAt == null && k.Scopes.Contains(name) && (publishable != null || k.Environment == KeyEnvironment.Test))
            .Select(k => k.Id).ToListAsync(cancellationToken);
        foreach (var holder in holders)
        {
            changes.Add(holder);
        }

        await db.SaveChangesAsync(cancellationToken);
        await manager.UpdateAsync(scope, descriptor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var holder in holders)
        {
            directory.Evict(holder); // this instance at once; the others through the feed
        }

        var resources = await manager.GetResourcesAsync(scope, cancellationToken);
        var properties = descriptor.Properties.ToImmutableDictionary();
        return new ScopeView(name, descriptor.Description, resources.Order(StringComparer.Ordinal).ToList(),
            ScopeMark.LiveOnly.IsOn(properties), ScopeMark.Publishable.IsOn(properties));
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
            views.Add(new ScopeView(scope.Name!, scope.Description, resources.Order(StringComparer.Ordinal).ToList(),
                ScopeMark.LiveOnly.IsOn(properties), ScopeMark.Publishable.IsOn(properties)));
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
