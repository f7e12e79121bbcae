using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

public static class TransportSecuritySetup
{
    /// <summary>Section <c>ForwardedHeaders</c>, HSTS, and which requests may arrive over plain HTTP (<see cref="TransportSecurity"/>).</summary>
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ValidateForwardedHeadersSettings>();
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.ExcludedHosts.Clear(); // also behind a proxy that forwards Host: localhost
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return services;
    }

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        // With no proxy listed, ASP.NET Core's middleware would believe X-Forwarded-* from anyone (it checks the
        // sender only against a non-empty list): then any client could claim HTTPS or another address.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
