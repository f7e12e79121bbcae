using AuthServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the database answers too).</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<AuthDbContext>("database", tags: ["ready"]);
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations)
            {
                check.Timeout = TimeSpan.FromSeconds(3); // a stalled database makes /health/ready fail, not hang
            }
        });
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
