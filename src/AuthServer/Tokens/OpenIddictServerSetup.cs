using System.Security.Cryptography.X509Certificates;
using AuthServer.Signing;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

public static class OpenIddictServerSetup
{
    public const string TokenPath = "connect/token";
    public const string IntrospectionPath = "connect/introspect";

    /// <summary>
    /// OpenIddict serves the OAuth endpoints. It runs in degraded mode: client authentication, scope checks and token contents are AuthServer's own handlers,
    /// served from memory, so a token request touches no database (DESIGN.md, decision 2).
    /// </summary>
    public static IServiceCollection AddAuthServerOpenIddict(
        this IServiceCollection services, TokenOptions tokens, SigningKeySet signingKeys, bool allowHttp)
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
                    options.Claims.UnionWith([Claims.ClientId, Claims.JwtId, Claims.Scope, IssueAccessToken.AccountIdClaim]);
                });
                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.DisableScopeValidation();
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(tokens.AccessTokenLifetime);
                if (tokens.Issuer is not null)
                {
                    server.SetIssuer(tokens.Issuer);
                }

                // Nothing is encrypted (access tokens are signed JWTs and no other token type is issued), but
                // OpenIddict requires an encryption key to be configured.
                server.AddEphemeralEncryptionKey();
                AddSigningKeys(server, signingKeys);

                server.AddEventHandler(RequireClientCredentials.TokenDescriptor)
                    .AddEventHandler(RequireClientCredentials.IntrospectionDescriptor)
                    .AddEventHandler(AuthenticateClient.Descriptor)
                    .AddEventHandler(ValidateRequestedScopes.Descriptor)
                    .AddEventHandler(IssueAccessToken.Descriptor)
                    .AddEventHandler(RequireCallerInAudience.Descriptor)
                    .AddEventHandler(RequireActiveKey.Descriptor)
                    .AddEventHandler(AttachIntrospectionClaims.Descriptor)
                    .AddEventHandler(AnswerUnavailableWith503.TokenDescriptor)
                    .AddEventHandler(AnswerUnavailableWith503.IntrospectionDescriptor);

                var aspNetCore = server.UseAspNetCore();
                if (allowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        return services;
    }

    /// <summary>
    /// OpenIddict signs with the first credentials after sorting valid X.509 keys first, so the active
    /// certificate is added as an X.509 key and the merely published ones as raw keys with the same key ID
    /// (the thumbprint) they will have when they become active.
    /// </summary>
    private static void AddSigningKeys(OpenIddictServerBuilder server, SigningKeySet keys)
    {
        server.AddSigningCredentials(new SigningCredentials(new X509SecurityKey(keys.Active), keys.Algorithm));
        foreach (var certificate in keys.Published.Where(c => c.Thumbprint != keys.Active.Thumbprint))
        {
            server.AddSigningCredentials(RawCredentials(certificate));
        }
    }

    private static SigningCredentials RawCredentials(X509Certificate2 certificate)
    {
        if (SigningKeySet.Signs(certificate, SigningAlgorithms.ES256))
        {
            return new SigningCredentials(new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.ES256);
        }

        return new SigningCredentials(new RsaSecurityKey(certificate.GetRSAPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.RS256);
    }
}
