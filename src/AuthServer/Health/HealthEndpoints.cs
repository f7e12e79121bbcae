using AuthServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AuthServer.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the database answers too, and the hot-path
/// warm-up is done).
/// </summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        // Bounded by Clients:LoadTimeout like every request's database read, also when the database stalls.
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<WarmupHealthCheck>("warmup", tags: ["ready"]);
        services.AddOptions<WarmupOptions>().Bind(configuration.GetSection(WarmupOptions.Section));
        services.AddSingleton<WarmupState>();
        services.AddHostedService<HotPathWarmup>();
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
