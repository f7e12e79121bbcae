using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AuthServer.Webhooks;

/// <summary>Webhook endpoints and their deliveries (README "Webhooks").</summary>
public static class WebhooksSetup
{
    /// <summary>What the server and the CLI both need: registering endpoints, and queueing deliveries with every event.</summary>
    public static IServiceCollection AddWebhookOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, ValidateWebhookOptions>();
        services.AddSingleton<IInterceptor, WebhookOutbox>();
        services.AddSingleton(provider => new WebhookAddressRule(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowedPrivateNetworks));
        services.AddSingleton<WebhookUrlRule>();
        services.AddSingleton<WebhookSecretProtector>();
        services.AddScoped<WebhookService>();
        return services;
    }

    /// <summary>The server's part: every instance delivers what is due.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddSingleton<WebhookConnector>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                UseProxy = false, // a proxy would connect to addresses the connector never checked
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = provider.GetRequiredService<WebhookConnector>().ConnectAsync,
            })
            .RemoveAllLoggers(); // the URL may carry the receiver's own token
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDeliverer>();
        return services;
    }
}
