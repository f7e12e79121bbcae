using AuthServer.Clients;
using AuthServer.Signing;
using AuthServer.Throttling;
using AuthServer.Tokens.FastPath;
using AuthServer.Tokens.Requests;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>The OAuth endpoints: OpenIddict with AuthServer's handlers, the request guard, the throttles and the fast paths.</summary>
public static class TokenEndpoints
{
    public static IServiceCollection AddTokenEndpoints(
        this IServiceCollection services, IConfiguration configuration, TokenOptions tokens, SigningKeySet signingKeys)
    {
        services.AddAuthServerOpenIddict(tokens, signingKeys);
        services.AddOptions<ThrottlingOptions>().Bind(configuration.GetSection(ThrottlingOptions.Section))
            .Validate(o => o.FailureWindow > TimeSpan.Zero && o.TokenWindow > TimeSpan.Zero, "Throttling windows must be positive.")
            .ValidateOnStart();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton<TokenRequestThrottle>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<KeyLiveness>();
        services.AddSingleton<AccessTokenPlanner>();
        services.AddSingleton<AccessTokenWriter>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenRequestValidator>();
        services.AddSingleton<IntrospectionValidator>();
        return services;
    }

    /// <summary>
    /// In front of authentication, which is where OpenIddict serves its endpoints. The fast paths can be turned
    /// off (<see cref="TokenOptions.FastPaths"/>); every answer stays the same, only slower.
    /// </summary>
    public static IApplicationBuilder UseTokenEndpoints(this IApplicationBuilder app)
    {
        app.UseMiddleware<OAuthRequestGuard>();
        if (app.ApplicationServices.GetRequiredService<IOptions<TokenOptions>>().Value.FastPaths)
        {
            app.UseMiddleware<TokenEndpointFastPath>().UseMiddleware<IntrospectionEndpointFastPath>();
        }

        return app;
    }
}
