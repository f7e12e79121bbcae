using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>Describes how to call the admin API: an OAuth 2.0 client-credentials token with one of the admin scopes.</summary>
internal sealed class AdminOpenApiSecurity : IOpenApiDocumentTransformer
{
    private const string SchemeName = "authserver";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "AuthServer admin API";
        document.Info.Description =
            "Manage accounts, API keys, scopes and resource servers. Authenticate with an access token from this server's " +
            "/connect/token (client_credentials) for a key holding admin:keys:read (viewer), admin:keys (administrator) or " +
            "admin:operator. Errors are RFC 9457 problem details.";
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
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SchemeName, document)] = [.. AdminScopes.Descriptions.Keys],
        });
        return Task.CompletedTask;
    }
}
