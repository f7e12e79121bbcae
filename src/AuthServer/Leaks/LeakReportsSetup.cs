using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthServer.Leaks;

public static class LeakReportsSetup
{
    public static IServiceCollection AddLeakReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LeakReportOptions>().Bind(configuration.GetSection(LeakReportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeakReportOptions>, ValidateLeakReportOptions>();
        services.AddSingleton<LeakReportSignature>();
        services.AddScoped<LeakReportService>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(LeakReportEndpoint.RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<LeakReportOptions>>().Value.ReportsPerMinute;
                // Per source address: a flood from one address cannot use up the scanner's own reports.
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                {
                    response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem(statusCode: 429, title: "Too many reports", detail: "Too many leak reports this minute; send it again later.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The endpoint exists only when an operator configured a scanner's keys.</summary>
    public static IEndpointRouteBuilder MapLeakReports(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<LeakReportSignature>().IsConfigured)
        {
            app.MapPost(LeakReportEndpoint.Path, LeakReportEndpoint.HandleAsync).RequireRateLimiting(LeakReportEndpoint.RateLimitPolicy).ExcludeFromDescription();
        }

        return app;
    }
}
