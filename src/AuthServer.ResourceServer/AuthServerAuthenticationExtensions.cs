using AuthServer.ResourceServer.ApiKeys;
using AuthServer.ResourceServer.Challenges;
using AuthServer.ResourceServer.Keys;
using AuthServer.ResourceServer.Revocations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using OpenIddict.Validation.SystemNetHttp;

namespace AuthServer.ResourceServer;

public static class AuthServerAuthenticationExtensions
{
    /// <summary>
    /// Accepts AuthServer access tokens as bearer tokens (and with <c>AcceptApiKeys</c>, key secrets), with the settings of <paramref name="section"/>
    /// (usually <c>Configuration.GetSection("AuthServer")</c>, see <see cref="AuthServerResourceOptions"/>).
    /// Then protect endpoints with <c>RequireScope("…")</c>.
    /// </summary>
    public static IServiceCollection AddAuthServerAuthentication(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<AuthServerResourceOptions>().Bind(section);
        return services.AddAuthServerAuthenticationServices();
    }

    /// <inheritdoc cref="AddAuthServerAuthentication(IServiceCollection, IConfiguration)"/>
    public static IServiceCollection AddAuthServerAuthentication(this IServiceCollection services, Action<AuthServerResourceOptions> configure)
    {
        services.AddOptions<AuthServerResourceOptions>().Configure(configure);
        return services.AddAuthServerAuthenticationServices();
    }

    private static IServiceCollection AddAuthServerAuthenticationServices(this IServiceCollection services)
    {
        services.AddOptions<AuthServerResourceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthServerResourceOptions>, ValidateAuthServerResourceOptions>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuthServerMetadataCache>();
        services.AddHttpClient(ApiKeyIntrospector.HttpClientName);
        services.TryAddSingleton<ApiKeyIntrospector>();
        services.TryAddSingleton<ApiKeyAnswerCache>();
        services.TryAddSingleton(provider => new ApiKeyCheck(
            provider.GetRequiredService<ApiKeyAnswerCache>(), provider.GetRequiredService<AuthServerMetadataCache>(), provider.GetRequiredService<IOptions<AuthServerResourceOptions>>()));

        services.TryAddSingleton<RevokedKeys>();
        services.TryAddSingleton<RevocationStreamState>();
        services.AddHttpClient(RevocationFollower.HttpClientName);
        services.AddHostedService<RevocationFollower>();
        services.AddHealthChecks().AddCheck<RevocationStreamHealthCheck>(RevocationStreamHealthCheck.Name);

        services.AddOpenIddict().AddValidation(validation =>
        {
            validation.UseSystemNetHttp();
            validation.UseAspNetCore();
            validation.AddEventHandler(RefreshKeysForUnknownKeyId.Descriptor);
            validation.AddEventHandler(AnswerUnreachableAuthServerWith503.Descriptor);
            validation.AddEventHandler(RefuseTokensTheAuthServerCannotIntrospect.Descriptor);
            validation.AddEventHandler(ExtractApiKeyHeader.Descriptor);
            validation.AddEventHandler(AuthenticateApiKeys.Descriptor);
            validation.AddEventHandler(RefuseTokensOfOtherEnvironments.Descriptor);
            validation.AddEventHandler(RefuseTokensOfRevokedKeys.Descriptor);
        });

        services.AddSingleton<ApplyAuthServerSettings>();
        services.AddSingleton<IConfigureOptions<OpenIddictValidationOptions>>(provider => provider.GetRequiredService<ApplyAuthServerSettings>());
        services.AddSingleton<IConfigureOptions<OpenIddictValidationAspNetCoreOptions>>(provider => provider.GetRequiredService<ApplyAuthServerSettings>());
        services.AddSingleton<IConfigureOptions<OpenIddictValidationSystemNetHttpOptions>>(provider => provider.GetRequiredService<ApplyAuthServerSettings>());

        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        return services;
    }
}
