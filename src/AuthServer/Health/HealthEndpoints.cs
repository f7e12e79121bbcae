using AuthServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AuthServer.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the database answers too).</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        // Bounded by Clients:LoadTimeout like every request's database read, also when the database stalls.
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
