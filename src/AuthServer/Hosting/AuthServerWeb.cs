using AuthServer.Admin;
using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Console;
using AuthServer.Data;
using AuthServer.Discovery;
using AuthServer.Events;
using AuthServer.Health;
using AuthServer.Leaks;
using AuthServer.Observability;
using AuthServer.Signing;
using AuthServer.Tokens;
using AuthServer.Webhooks;

namespace AuthServer.Hosting;

/// <summary>The HTTP server: OAuth endpoints, health, transport rules and the background work.</summary>
public static class AuthServerWeb
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddAuthServerCore();
        builder.AddAuthServerWeb();
        var app = builder.Build();
        app.UseAuthServerPipeline();
        return app;
    }

    public static WebApplicationBuilder AddAuthServerWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Hosted services start in order, each after the one before has started: the migrations first, since every
        // other one (Data Protection's key ring, the change feed, the event feeds) reads tables they create.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseInitialization>());
        builder.Logging.AddLogLevelDefaults();
        builder.AddObservability();
        builder.WebHost.ConfigureKestrel(KestrelHeaderDecoding.Configure);
        var signingKeys = builder.AddSigning();
        services.AddTokenEndpoints(builder.Configuration, signingKeys);
        services.AddDiscovery();
        services.AddProblemDetails();
        services.AddAdminApi();
        services.AddConsole(builder.Configuration, builder.Environment);
        services.AddHealth();
        services.AddLifecycleEvents(builder.Configuration);
        services.AddLeakReports(builder.Configuration);
        services.AddWebhookDelivery();
        services.AddTransportSecurity(builder.Configuration);

        services.AddHostedService<ClientChangeFeed>();
        services.AddHostedService<KeyUsageFlusher>();
        return builder;
    }

    public static WebApplication UseAuthServerPipeline(this WebApplication app)
    {
        app.UseTransportSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<RefuseSecretsInUrls>();
        app.UseConsoleResponses();
        app.UseRouting(); // explicitly here: by default WebApplication routes first, and routing logs the path
        app.UseMiddleware<TransportSecurity>();
        app.UseObservability();
        app.UseTokenEndpoints();

        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAdminApi();
        app.MapConsole();
        app.MapHealth();
        app.MapLifecycleEvents();
        app.MapLeakReports();
        return app;
    }
}
