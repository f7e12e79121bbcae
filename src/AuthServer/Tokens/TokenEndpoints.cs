using AuthServer.Browser;
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
        this IServiceCollection services, IConfiguration configuration, SigningKeySet signingKeys)
    {
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, ValidateTokenOptions>();
        services.AddAuthServerOpenIddict(signingKeys);
        services.AddThrottling(configuration);
        services.AddBrowserMode(configuration);
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<AccessTokenPlanner>();
        services.AddSingleton<AccessTokenWriter>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenRequestValidator>();
        services.AddSingleton<IntrospectionValidator>();
        return services;
    }

    /// <summary>
    /// In front of authentication, which is where OpenIddict serves its endpoints: the outcome counter (around all
    /// that follows, so that every answer is counted once), browsers' preflights, the request
    /// guard (every OAuth request), publishable keys' token requests, then the fast paths. The fast paths can be turned
    /// off (<see cref="TokenOptions.FastPaths"/>); every answer stays the same, only slower.
    /// </summary>
    public static IApplicationBuilder UseTokenEndpoints(this IApplicationBuilder app)
    {
        app.UseMiddleware<RecordOAuthOutcomes>();
        app.UseMiddleware<BrowserPreflight>();
        app.UseMiddleware<OAuthRequestGuard>();
        app.UseMiddleware<PublishableKeyTokenEndpoint>();
        if (app.ApplicationServices.GetRequiredService<IOptions<TokenOptions>>().Value.FastPaths)
        {
            app.UseMiddleware<TokenEndpointFastPath>().UseMiddleware<IntrospectionEndpointFastPath>();
        }

        return app;
    }
}
