using AuthServer.Events.Revocations;
using Microsoft.Extensions.Options;

namespace AuthServer.Events;

/// <summary>Lifecycle events beyond those <see cref="Audit.AuditLog"/> writes: expiry events, and the revocation stream.</summary>
public static class EventsSetup
{
    public static IServiceCollection AddLifecycleEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection(EventOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventOptions>, ValidateEventOptions>();
        services.AddHostedService<KeyExpiryWatcher>();
        services.AddSingleton<RevocationWindow>();
        services.AddSingleton<SecurityEventTokenWriter>();
        services.AddSingleton<RevocationStreamEndpoint>();
        services.AddHostedService<RevocationFeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapLifecycleEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet(RevocationStreamEndpoint.Path, (HttpContext context, RevocationStreamEndpoint endpoint) => endpoint.HandleAsync(context))
            .ExcludeFromDescription();
        return app;
    }
}
