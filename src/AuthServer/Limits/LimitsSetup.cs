using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AuthServer.Limits;

public static class LimitsSetup
{
    /// <summary>
    /// Section <c>Limits</c>, the service that changes a key's limits and, when <c>Limits:Redis</c> is set, the shared
    /// counter and its health check (<c>redis</c> in <c>/health/ready</c>: degraded, never unhealthy, when Redis is away).
    /// </summary>
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, ValidateLimitsOptions>();
        services.AddScoped<KeyLimitsService>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.Redis)}"]))
        {
            services.AddSingleton<RedisTokenCounter>();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, tags: ["ready"]);
        }

        return services;
    }
}
