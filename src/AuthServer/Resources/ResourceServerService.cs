using System.Text.RegularExpressions;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Secrets;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Resources;

public sealed record ResourceServerView(string Name, string? Description, bool CanIntrospect, DateTime CreatedAt, string CreatedBy);

/// <summary>The result of giving a resource server credentials: the secret is in it this once.</summary>
public sealed record IssuedResourceCredentials(ResourceServerView ResourceServer, string ClientId, string ClientSecret);

/// <summary>Registers resource servers (audiences) and gives them credentials for the introspection endpoint.</summary>
public sealed partial class ResourceServerService(
    AuthDbContext db,
    IOpenIddictApplicationManager applications,
    ClientChangeLog changes,
    ClientDirectory directory,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<ResourceServerView> CreateAsync(string name, string? description, Actor actor, CancellationToken cancellationToken)
    {
        TextRule.Require("name", name);
        TextRule.Require("description", description);
        if (!NamePattern().IsMatch(name) || name.StartsWith(ApiKeys.ApiKeyId.Prefix, StringComparison.Ordinal))
        {
            throw new InvalidFieldException("name",
                $"A resource server name (its audience) is 1 to 100 letters, digits or ':' '/' '.' '_' '-', and does not start with '{ApiKeys.ApiKeyId.Prefix}'.");
        }

        if (description?.Length > ResourceServer.MaxDescriptionLength)
        {
            throw new InvalidFieldException("description", $"A description is at most {ResourceServer.MaxDescriptionLength} characters.");
        }

        if (await db.ResourceServers.AnyAsync(r => r.Name == name, cancellationToken))
        {
            throw new ConflictException($"A resource server named '{name}' already exists.");
        }

        var resource = new ResourceServer
        {
            Name = name,
            Description = description,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedBy = actor.Id,
        };
        db.ResourceServers.Add(resource);
        audit.Record(actor, AuditActions.ResourceServerCreated, name, accountId: null, new { description });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException($"A resource server named '{name}' already exists.");
        }

        return ToView(resource, canIntrospect: false);
    }

    /// <summary>
    /// Gives the resource server a new introspection secret (client_id = its name). A previous secret stops
    /// working on every instance within the change-feed bound.
    /// </summary>
    public async Task<IssuedResourceCredentials> IssueCredentialsAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        var resource = await db.ResourceServers.FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (resource is null || !string.Equals(resource.Name, name, StringComparison.Ordinal))
        {
            throw new NotFoundException($"No resource server named '{name}'.");
        }

        var secret = ClientSecret.Generate();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var application = await applications.FindByClientIdAsync(name, cancellationToken);
            if (application is null)
            {
                await applications.CreateAsync(new OpenIddictApplicationDescriptor
                {
                    ClientId = name,
                    ClientSecret = secret,
                    ClientType = ClientTypes.Confidential,
                    DisplayName = name,
                    Permissions = { Permissions.Endpoints.Introspection },
                }, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(application, secret, cancellationToken);
            }

            changes.Add(name);
            audit.Record(actor, AuditActions.ResourceServerCredentialsIssued, name, accountId: null);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(name);
        return new IssuedResourceCredentials(ToView(resource, canIntrospect: true), name, secret);
    }

    public async Task<IReadOnlyList<ResourceServerView>> ListAsync(CancellationToken cancellationToken)
    {
        var withCredentials = db.Set<OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientId);
        var rows = await db.ResourceServers.AsNoTracking()
            .OrderBy(r => r.Name)
            .Select(r => new { Resource = r, CanIntrospect = withCredentials.Contains(r.Name) })
            .ToListAsync(cancellationToken);
        return rows.Select(row => ToView(row.Resource, row.CanIntrospect)).ToList();
    }

    private static ResourceServerView ToView(ResourceServer resource, bool canIntrospect) =>
        new(resource.Name, resource.Description, canIntrospect, resource.CreatedAt, resource.CreatedBy);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9:/._-]{0,99}\z")]
    private static partial Regex NamePattern();
}
