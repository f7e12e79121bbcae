using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Resources;
using AuthServer.Scopes;
using AuthServer.Tokens;
using AuthServer.Users;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Hosting;

/// <summary>What both the server and the CLI need: configuration, the database, OpenIddict's stores and the domain services.</summary>
public static class AuthServerCore
{
    public static IHostApplicationBuilder AddAuthServerCore(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        var database = Bind<DatabaseOptions>(configuration, DatabaseOptions.Section);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section))
            .Validate(o => o.DefaultKeyLimit >= 0, "ApiKeys:DefaultKeyLimit cannot be negative.")
            .Validate(o => o.MaxLifetime is null || o.MaxLifetime > TimeSpan.Zero, "ApiKeys:MaxLifetime must be positive.")
            .Validate(o => o.UsageFlushInterval > TimeSpan.Zero, "ApiKeys:UsageFlushInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<ClientOptions>().Bind(configuration.GetSection(ClientOptions.Section))
            .Validate(o => o.ChangePollInterval > TimeSpan.Zero && o.ChangePollInterval < o.MaxStaleness,
                "Clients:ChangePollInterval must be positive and shorter than Clients:MaxStaleness.")
            .ValidateOnStart();
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddAuthServerDatabase(database, builder.Environment.ContentRootPath);
        services.AddOpenIddict().AddCore(core =>
        {
            core.UseEntityFrameworkCore().UseDbContext<AuthDbContext>();
            core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, GeneratedSecretApplicationManager>();
        });

        services.AddSingleton<ClientSnapshotLoader>();
        services.AddSingleton<ClientChangeFeedHealth>();
        services.AddSingleton<ClientDirectory>();
        services.AddSingleton<ScopeCatalog>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddScoped<ClientChangeLog>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<AccountService>();
        services.AddScoped<ScopeService>();
        services.AddScoped<ResourceServerService>();
        services.AddScoped<ActiveKeyLimit>();
        services.AddScoped<KeyExpiryPolicy>();
        services.AddScoped<ApiKeyCreator>();
        services.AddScoped<ApiKeyLifecycle>();
        services.AddScoped<ApiKeyQueries>();
        services.AddScoped<IDatabaseSeed, Admin.AdminCatalog>();
        services.AddScoped<Admin.OperatorBootstrap>();
        services.AddPeople(configuration);
        return builder;
    }

    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            throw new StartupException($"Configuration section '{section}' is invalid: {exception.Message}");
        }

        return options;
    }
}
