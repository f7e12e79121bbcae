using AuthServer.Signing;
using AuthServer.Throttling;
using AuthServer.Tokens.FastPath;

namespace AuthServer.Tokens;

/// <summary>The OAuth endpoints: OpenIddict with AuthServer's handlers, the request guard, the throttles and the fast paths.</summary>
public static class TokenEndpoints
{
    public static IServiceCollection AddTokenEndpoints(
        this IServiceCollection services, IConfiguration configuration, TokenOptions tokens, SigningKeySet signingKeys, bool allowHttp)
    {
        services.AddAuthServerOpenIddict(tokens, signingKeys, allowHttp);
        services.AddOptions<ThrottlingOptions>().Bind(configuration.GetSection(ThrottlingOptions.Section))
            .Validate(o => o.FailureWindow > TimeSpan.Zero && o.TokenWindow > TimeSpan.Zero, "Throttling windows must be positive.")
            .ValidateOnStart();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton<TokenRequestThrottle>();
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
