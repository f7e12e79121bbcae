using Microsoft.Extensions.Options;

namespace AuthServer.Clients;

public static class ClientsSetup
{
    /// <summary>Section <c>Clients</c> and the in-memory directory of clients with its change feed.</summary>
    public static IServiceCollection AddClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientOptions>().Bind(configuration.GetSection(ClientOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientOptions>, ValidateClientOptions>();
        services.AddSingleton<ClientSnapshotLoader>();
        services.AddSingleton<ClientChangeFeedHealth>();
        services.AddSingleton<ClientDirectory>();
        services.AddSingleton<KeyLiveness>();
        services.AddScoped<ClientChangeLog>();
        return services;
    }
}
