using System.Net;
using AuthServer.Admin;
using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Console;
using AuthServer.Data;
using AuthServer.Signing;
using AuthServer.Tokens;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.Hosting;

/// <summary>Section <c>ForwardedHeaders</c>: the reverse proxies whose X-Forwarded-For/-Proto are believed.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];
}

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
        var isDevelopment = builder.Environment.IsDevelopment();

        // ASP.NET Core's request lines carry the query string, where a careless client may have put a secret or a
        // token: they are never logged, whatever the configured levels say (this rule is the most specific).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);

        using var startupLogs = LoggerFactory.Create(logging => logging.AddConsole());
        var signingKeys = SigningKeySet.Load(
            AuthServerCore.Bind<SigningOptions>(builder.Configuration, SigningOptions.Section),
            builder.Environment.ContentRootPath,
            generateWhenMissing: isDevelopment,
            DateTimeOffset.UtcNow,
            startupLogs.CreateLogger("AuthServer.Signing"));
        services.AddSingleton(signingKeys);

        var tokens = AuthServerCore.Bind<TokenOptions>(builder.Configuration, TokenOptions.Section);
        if (tokens.AccessTokenLifetime <= TimeSpan.Zero)
        {
            throw new StartupException("Tokens:AccessTokenLifetime must be positive.");
        }

        if (tokens.Issuer is { IsAbsoluteUri: false })
        {
            throw new StartupException("Tokens:Issuer must be an absolute URI, e.g. https://auth.example.com/.");
        }

        services.AddTokenEndpoints(builder.Configuration, tokens, signingKeys);

        services.AddHostedService<DatabaseInitialization>();
        services.AddHostedService<ClientChangeFeed>();
        services.AddHostedService<KeyUsageFlusher>();

        services.AddProblemDetails();
        services.AddAdminApi();
        services.AddConsole(builder.Environment);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        var forwarded = AuthServerCore.Bind<ForwardedHeadersSettings>(builder.Configuration, ForwardedHeadersSettings.Section);
        if (!isDevelopment)
        {
            RefusePlainHttpOnly(builder.Configuration, forwarded);
        }

        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.ExcludedHosts.Clear(); // also behind a proxy that forwards Host: localhost
        });
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in forwarded.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new StartupException($"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address."));
            }
        });

        return builder;
    }

    /// <summary>
    /// Outside Development, listening on plain HTTP only with no trusted TLS-terminating proxy would serve
    /// nothing (the OAuth endpoints refuse HTTP) while inviting clients to send secrets in clear: refuse to start.
    /// </summary>
    private static void RefusePlainHttpOnly(ConfigurationManager configuration, ForwardedHeadersSettings forwarded)
    {
        var urls = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var kestrelEndpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "");
        var all = urls.Concat(kestrelEndpoints).ToList();
        if (all.Count > 0 && !all.Any(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && forwarded.KnownProxies.Count == 0)
        {
            throw new StartupException(
                $"Outside Development AuthServer needs HTTPS, but it would listen on plain HTTP only ({string.Join(", ", all)}). " +
                "Give Kestrel an https:// URL and a certificate, or list the TLS-terminating proxy in ForwardedHeaders:KnownProxies.");
        }
    }

    public static WebApplication UseAuthServerPipeline(this WebApplication app)
    {
        // With no proxy listed, ASP.NET Core's middleware would believe X-Forwarded-* from anyone (it checks the
        // sender only against a non-empty list): then any client could claim HTTPS or another address.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<TransportSecurity>();
        app.UseTokenEndpoints();

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAdminApi();
        app.MapConsole();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
