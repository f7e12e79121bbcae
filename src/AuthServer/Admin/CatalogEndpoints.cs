using AuthServer.Failures;
using AuthServer.Resources;
using AuthServer.Scopes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>Scopes and resource servers: every admin may read the scopes (to create keys), operators define them.</summary>
internal static class CatalogEndpoints
{
    public static void MapCatalogEndpoints(this RouteGroupBuilder admin)
    {
        var scopes = admin.MapGroup("/scopes").WithTags("Scopes");
        scopes.MapGet("/", ListScopesAsync).RequireAdmin(AdminAccess.AnyAdmin).WithName("ListScopes").WithSummary("List scopes (any admin scope).");
        scopes.MapPost("/", CreateScopeAsync).RequireAdmin(AdminAccess.Operator).WithName("CreateScope")
            .WithSummary("Define a scope; only its live-only and publishable marks can change afterwards (admin:operator).");
        scopes.MapPatch("/{scope}", UpdateScopeAsync).RequireAdmin(AdminAccess.Operator).WithName("UpdateScope")
            .WithSummary("Mark the scope live-only (test keys can no longer use it) or open it to test keys again, and/or publishable (publishable keys may reach it from browsers) or not (admin:operator).");

        var resources = admin.MapGroup("/resource-servers").RequireAdmin(AdminAccess.Operator).WithTags("Resource servers");
        resources.MapGet("/", ListResourceServersAsync).WithName("ListResourceServers").WithSummary("List resource servers (admin:operator).");
        resources.MapPost("/", CreateResourceServerAsync).WithName("CreateResourceServer")
            .WithSummary("Register a resource server; with introspection: true the response carries its secret, once (admin:operator).");
        resources.MapPost("/{name}/credentials", IssueCredentialsAsync).WithName("IssueResourceServerCredentials")
            .WithSummary("Give the resource server a new introspection secret; the old one stops working (admin:operator).");
    }

    private static async Task<Ok<IReadOnlyList<ScopeView>>> ListScopesAsync(ScopeService scopes, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await scopes.ListAsync(cancellationToken));
    }

    private static async Task<Created<ScopeView>> CreateScopeAsync(CreateScopeBody body, AdminCaller caller, ScopeService scopes, CancellationToken cancellationToken)
    {
        var scope = await scopes.CreateAsync(body.Name ?? throw new InvalidFieldException("name", "A scope needs a name."),
            body.Description, body.Resources ?? [], caller.Actor, cancellationToken, body.LiveOnly);
        return TypedResults.Created($"/admin/v1/scopes/{Uri.EscapeDataString(scope.Name)}", scope);
    }

    private static async Task<Ok<ScopeView>> UpdateScopeAsync(
        string scope, UpdateScopeBody body, AdminCaller caller, ScopeService scopes, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await scopes.SetMarksAsync(scope, body.LiveOnly, body.Publishable, caller.Actor, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<ResourceServerView>>> ListResourceServersAsync(
        ResourceServerService resources, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await resources.ListAsync(cancellationToken));
    }

    private static async Task<Created<CreatedResourceServerResponse>> CreateResourceServerAsync(
        CreateResourceServerBody body, AdminCaller caller, ResourceServerService resources, CancellationToken cancellationToken)
    {
        var name = body.Name ?? throw new InvalidFieldException("name", "A resource server needs a name (its audience).");
        var resource = await resources.CreateAsync(name, body.Description, caller.Actor, cancellationToken);
        ResourceServerCredentials? credentials = null;
        if (body.Introspection)
        {
            var issued = await resources.IssueCredentialsAsync(name, caller.Actor, cancellationToken);
            (resource, credentials) = (issued.ResourceServer, Credentials(issued));
        }

        return TypedResults.Created($"/admin/v1/resource-servers/{Uri.EscapeDataString(name)}", new CreatedResourceServerResponse(resource, credentials));
    }

    private static async Task<Ok<ResourceServerCredentials>> IssueCredentialsAsync(
        string name, AdminCaller caller, ResourceServerService resources, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(Credentials(await resources.IssueCredentialsAsync(name, caller.Actor, cancellationToken)));
    }

    private static ResourceServerCredentials Credentials(IssuedResourceCredentials issued) =>
        new(issued.ClientId, issued.ClientSecret, KeyEndpoints.SecretNote);
}
