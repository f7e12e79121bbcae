using AuthServer.Signing;
using AuthServer.Throttling;
using AuthServer.Tokens.FastPath;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>The OAuth endpoints: OpenIddict with AuthServer's handlers, the request guard, the throttles and the fast paths.</summary>
public static class TokenEndpoints
{
    public static IServiceCollection AddTokenEndpoints(
        this IServiceCollection services, IConfiguration configuration, SigningKeySet signingKeys, bool allowHttp)
    {
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, ValidateTokenOptions>();
        services.AddAuthServerOpenIddict(signingKeys, allowHttp);
        services.AddThrottling(configuration);
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<AccessTokenPlanner>();
        services.AddSingleton<AccessTokenWriter>();
        services.AddSingleton<FastPathContext>();
        return services;
    }

    /// <summary>In front of authentication, which is where OpenIddict serves its endpoints.</summary>
    public static IApplicationBuilder UseTokenEndpoints(this IApplicationBuilder app) =>
        app.UseMiddleware<OAuthRequestGuard>()
            .UseMiddleware<TokenEndpointFastPath>()
            .UseMiddleware<IntrospectionEndpointFastPath>();
}
