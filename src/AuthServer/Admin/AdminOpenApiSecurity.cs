using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>
/// How to call the admin API: an OAuth 2.0 client-credentials token, and on each operation the scopes that let a
/// caller through the <see cref="AdminAccess"/> its endpoint declares. Several requirements mean "any one of them".
/// </summary>
internal sealed class AdminOpenApiSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "authserver";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Client credentials: key ID and secret of an admin key.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri("/connect/token", UriKind.Relative),
                    Scopes = AdminScopes.Descriptions.ToDictionary(),
                },
            },
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (AdminAccessScopes.DeclaredBy(context.Description.ActionDescriptor.EndpointMetadata) is not { } access)
        {
            return Task.CompletedTask; // no requirement: the contract tests refuse an admin operation without one
        }

        operation.Security = [.. AdminAccessScopes.Granting(access).Select(scope => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [scope],
        })];
        return Task.CompletedTask;
    }
}
