using AuthServer.Secrets;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AuthServer.Observability;

/// <summary>
/// Section <c>Observability</c>, AuthServer's meter, and OpenTelemetry: metrics for a Prometheus scrape
/// (<see cref="PrometheusOptions"/>) and/or OTLP, traces and logs over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. With neither, OpenTelemetry is not started at all.
/// </summary>
public static class ObservabilitySetup
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // The frameworks' own meters: request durations per route, connections, outgoing calls, the runtime, PostgreSQL.
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ValidateObservabilityOptions>();
        services.AddSingleton<AuthServerMetrics>();
        services.AddSingleton<PrometheusScrape>();

        // Decided before the options are validated (which happens at start): a value that does not parse is off here
        // and then stops the start with its own message.
        var prometheus = bool.TryParse(configuration[$"{ObservabilityOptions.Section}:Prometheus:Enabled"], out var enabled) && enabled;
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        if (!prometheus && !otlp)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("AuthServer"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AuthServerMetrics.MeterName).AddMeter(FrameworkMeters);
                if (prometheus)
                {
                    // Each scrape collects afresh: no answer cached across scrapes of several Prometheus servers.
                    metrics.AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                    // A secret put in a path is refused (RefuseSecretsInUrls), but the span is opened before that.
                    options.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (ClientSecret.LooksLikeSecret(request.Path.Value))
                        {
                            activity.SetTag("url.path", "/[redacted]");
                        }
                    };
                })
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()); // SQL text only: parameter values are off by default
            telemetry.UseOtlpExporter(); // reads the OTEL_EXPORTER_OTLP_* settings
        }

        return builder;
    }

    /// <summary>The Prometheus scrape, when enabled; after the transport rules, which let it through on its own port only.</summary>
    public static IApplicationBuilder UseObservability(this IApplicationBuilder app)
    {
        var scrape = app.ApplicationServices.GetRequiredService<PrometheusScrape>();
        if (scrape.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(scrape.Matches);
        }

        return app;
    }
}
