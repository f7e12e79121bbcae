using AuthServer.Signing;
using AuthServer.Tokens.Answers;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

public static class OpenIddictServerSetup
{
    public const string TokenPath = "connect/token";
    public const string IntrospectionPath = "connect/introspect";
    public const string TokenPathWithSlash = "/" + TokenPath;
    public const string IntrospectionPathWithSlash = "/" + IntrospectionPath;

    /// <summary>
    /// OpenIddict serves the OAuth endpoints. It runs in degraded mode: client authentication, scope checks and token contents are AuthServer's own handlers,
    /// served from memory, so a token request touches no database (docs/design.md, decision 2).
    /// </summary>
    public static IServiceCollection AddAuthServerOpenIddict(
        this IServiceCollection services, SigningKeySet signingKeys)
    {
        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath)
                    .SetIntrospectionEndpointUris(IntrospectionPath)
                    .SetConfigurationEndpointUris(".well-known/openid-configuration", ".well-known/oauth-authorization-server")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");

                server.AllowClientCredentialsFlow();
                server.Configure(options =>
                {
                    // Only shared secrets (client_secret_basic/post) authenticate clients, and no OpenID Connect.
                    options.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.PrivateKeyJwt);
                    options.ClientAssertionTypes.Clear();
                    options.Scopes.Remove(OpenIddict.Abstractions.OpenIddictConstants.Scopes.OpenId);
                    options.PromptValues.Clear();
                    options.Claims.UnionWith([Claims.ClientId, Claims.JwtId, Claims.Scope, AccessTokenClaims.AccountId, AccessTokenClaims.Environment]);
                });
                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.DisableScopeValidation();
                server.DisableAccessTokenEncryption();
                // Nothing is encrypted (access tokens are signed JWTs and no other token type is issued), but
                // OpenIddict requires an encryption key to be configured.
                server.AddEphemeralEncryptionKey();
                AddSigningKeys(server, signingKeys);

                server.AddEventHandler(RequireClientCredentials.TokenDescriptor)
                    .AddEventHandler(RequireClientCredentials.IntrospectionDescriptor)
                    .AddEventHandler(AuthenticateClient.Descriptor)
                    .AddEventHandler(ValidateRequestedScopes.Descriptor)
                    .AddEventHandler(LimitTokenRequestsPerKey.Descriptor)
                    .AddEventHandler(IssueAccessToken.Descriptor)
                    .AddEventHandler(WriteAccessTokenFromPlan.Descriptor)
                    .AddEventHandler(AcceptKeySecretsForIntrospection.Descriptor)
                    .AddEventHandler(ApplyIntrospectionVerdict.Descriptor)
                    .AddEventHandler(AnswerWithTheSharedFields.TokenDescriptor)
                    .AddEventHandler(AnswerWithTheSharedFields.IntrospectionDescriptor)
                    .AddEventHandler(ApplyRetryableRefusal.TokenDescriptor)
                    .AddEventHandler(ApplyRetryableRefusal.IntrospectionDescriptor);

                // Which requests may use plain HTTP is decided once, for both paths, by Hosting.TransportSecurity.
                server.UseAspNetCore().DisableTransportSecurityRequirement();
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<TokenOptions>>((options, tokens) =>
        {
            options.AccessTokenLifetime = tokens.Value.AccessTokenLifetime;
            options.Issuer = tokens.Value.Issuer;
        });

        // OpenIddict's introspection validates with the keys it was given at registration; rotation changes the set
        // later, so it asks SigningKeySet for the current keys instead.
        services.AddOptions<OpenIddictServerOptions>().PostConfigure(options =>
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => signingKeys.KeysFor(kid));
        return services;
    }

    private static void AddSigningKeys(OpenIddictServerBuilder server, SigningKeySet keys)
    {
        // OpenIddict signs nothing itself (WriteAccessTokenFromPlan does), and the JWKS and its validation read
        // SigningKeySet (PublishSigningKeys, the resolver above). It still requires a key at registration: with
        // rotation and no certificate in files, a throwaway one that nothing uses.
        foreach (var credentials in keys.PublishedCredentials)
        {
            server.AddSigningCredentials(credentials);
        }

        if (keys.PublishedCredentials.Count == 0)
        {
            server.AddEphemeralSigningKey();
        }
    }
}
