using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

public static class ThrottlingSetup
{
    /// <summary>Section <c>Throttling</c> and the limits of the OAuth endpoints (token limits shared through Redis when <c>Limits:Redis</c> is set).</summary>
    public static IServiceCollection AddThrottling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThrottlingOptions>().Bind(configuration.GetSection(ThrottlingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ThrottlingOptions>, ValidateThrottlingOptions>();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton(provider => new TokenRequestThrottle(
            provider.GetRequiredService<IOptions<ThrottlingOptions>>(), provider.GetService<Limits.RedisTokenCounter>()));
        return services;
    }
}
