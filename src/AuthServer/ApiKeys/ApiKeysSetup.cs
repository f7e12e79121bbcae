using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

public static class ApiKeysSetup
{
    /// <summary>Section <c>ApiKeys</c> and the services that create, extend, revoke and list keys.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ValidateApiKeyOptions>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddScoped<ActiveKeyLimit>();
        services.AddScoped<KeyExpiryPolicy>();
        services.AddScoped<ApiKeyCreator>();
        services.AddScoped<ApiKeyLifecycle>();
        services.AddScoped<KeySecretRoller>();
        services.AddScoped<ApiKeyQueries>();
        return services;
    }
}
