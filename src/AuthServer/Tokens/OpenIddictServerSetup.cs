using System.Security.Cryptography.X509Certificates;
using AuthServer.Signing;
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
    /// served from memory, so a token request touches no database (DESIGN.md, decision 2).
    /// </summary>
    public static IServiceCollection AddAuthServerOpenIddict(
        this IServiceCollection services, SigningKeySet signingKeys, bool allowHttp)
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
                    .AddEventHandler(LimitTokenRequestsPerKey.Descriptor)
                    .AddEventHandler(ResponseConsistency.SignInDescriptor)
                    .AddEventHandler(ResponseConsistency.IntrospectionDescriptor)
                    .AddEventHandler(ApplyRetryableRefusal.TokenDescriptor)
                    .AddEventHandler(ApplyRetryableRefusal.IntrospectionDescriptor);

                var aspNetCore = server.UseAspNetCore();
                if (allowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<TokenOptions>>((options, tokens) =>
        {
            options.AccessTokenLifetime = tokens.Value.AccessTokenLifetime;
            options.Issuer = tokens.Value.Issuer;
        });
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(new PutActiveSigningKeyFirst(signingKeys));
        return services;
    }

    private static void AddSigningKeys(OpenIddictServerBuilder server, SigningKeySet keys)
    {
        foreach (var certificate in keys.Published)
        {
            server.AddSigningCredentials(SigningCredentialsOf(certificate));
        }
    }

    /// <summary>
    /// Raw RSA/ECDSA keys (IdentityModel cannot sign ES256 through an X.509 key), identified by the
    /// certificate's thumbprint so a key keeps its <c>kid</c> from publication to retirement.
    /// </summary>
    private static SigningCredentials SigningCredentialsOf(X509Certificate2 certificate) =>
        SigningKeySet.Signs(certificate, SigningAlgorithms.ES256)
            ? new SigningCredentials(new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.ES256)
            : new SigningCredentials(new RsaSecurityKey(certificate.GetRSAPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.RS256);
}

/// <summary>
/// OpenIddict signs access tokens with the first signing credentials, after sorting them its own way; this
/// runs after that sort (it is registered later) and puts the active key first.
/// </summary>
internal sealed class PutActiveSigningKeyFirst(SigningKeySet keys) : IPostConfigureOptions<OpenIddictServerOptions>
{
    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        var active = options.SigningCredentials.FindIndex(credentials => credentials.Key.KeyId == keys.Active.Thumbprint);
        if (active > 0)
        {
            var credentials = options.SigningCredentials[active];
            options.SigningCredentials.RemoveAt(active);
            options.SigningCredentials.Insert(0, credentials);
        }
    }
}
