using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

public static class ThrottlingSetup
{
    /// <summary>Section <c>Throttling</c> and the per-instance limits of the OAuth endpoints.</summary>
    public static IServiceCollection AddThrottling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThrottlingOptions>().Bind(configuration.GetSection(ThrottlingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ThrottlingOptions>, ValidateThrottlingOptions>();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton<TokenRequestThrottle>();
        return services;
    }
}
