using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Browser;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Limits;
using AuthServer.Failures;
using AuthServer.Resources;
using AuthServer.Scopes;
using AuthServer.Users;
using AuthServer.Webhooks;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Hosting;

/// <summary>What both the server and the CLI need: configuration, the database, OpenIddict's stores and the domain services.</summary>
public static class AuthServerCore
{
    public static IHostApplicationBuilder AddAuthServerCore(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddSingleton(TimeProvider.System);
        builder.AddAuthServerDatabase();
        services.AddOpenIddict().AddCore(core =>
        {
            core.UseEntityFrameworkCore().UseDbContext<AuthDbContext>();
            core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, GeneratedSecretApplicationManager>();
        });

        services.AddApiKeys(configuration);
        services.AddLimits(configuration);
        services.AddPublishableKeys();
        services.AddClients(configuration);
        services.AddSingleton<ScopeCatalog>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<Events.LifecycleEventQueries>();
        services.AddScoped<AccountService>();
        services.AddScoped<ScopeService>();
        services.AddScoped<ResourceServerService>();
        services.AddScoped<IDatabaseSeed, Admin.AdminCatalog>();
        services.AddScoped<Admin.OperatorBootstrap>();
        services.AddPeople(configuration);
        services.AddWebhookOutbox(configuration);
        return builder;
    }
}
