using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Scopes;

public sealed record ScopeView(string Name, string? Description, IReadOnlyList<string> Resources);

/// <summary>
/// Operators define scopes: a name, a description and the resource servers it grants access to. Scopes are
/// OpenIddict scopes; once created they do not change, because keys holding them cannot change either.
/// </summary>
public sealed partial class ScopeService(IOpenIddictScopeManager manager, AuthDbContext db, AuditLog audit)
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 200;

    public async Task<ScopeView> CreateAsync(string name, string? description, IReadOnlyCollection<string> resources, Actor actor, CancellationToken cancellationToken)
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
        audit.Record(actor, AuditActions.ScopeCreated, name, accountId: null, new { description, Resources = audiences });
        try
        {
            await manager.CreateAsync(descriptor, cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException($"A scope named '{name}' already exists.");
        }

        return new ScopeView(name, description, audiences);
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
            views.Add(new ScopeView(scope.Name!, scope.Description, resources.Order(StringComparer.Ordinal).ToList()));
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
