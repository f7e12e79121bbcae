using AuthServer.ResourceServer.Keys;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using OpenIddict.Validation.SystemNetHttp;
using Polly;

namespace AuthServer.ResourceServer;

/// <summary>Turns <see cref="AuthServerResourceOptions"/> into OpenIddict's validation settings when they are first needed.</summary>
internal sealed class ApplyAuthServerSettings(IOptions<AuthServerResourceOptions> settings, AuthServerMetadataCache metadata) :
    IConfigureOptions<OpenIddictValidationOptions>,
    IConfigureOptions<OpenIddictValidationAspNetCoreOptions>,
    IConfigureOptions<OpenIddictValidationSystemNetHttpOptions>
{
    public void Configure(OpenIddictValidationOptions options)
    {
        var resource = settings.Value;
        options.Issuer = resource.Issuer;
        options.Audiences.Add(resource.Audience!);
        options.ConfigurationManager = metadata;
        options.TokenValidationParameters.TypeValidator = AccessTokenType.Validate;
        if (resource.Mode == TokenValidationMode.Introspection)
        {
            options.ValidationType = OpenIddictValidationType.Introspection;
            options.ClientId = resource.EffectiveClientId;
            options.ClientSecret = resource.ClientSecret;
        }
    }

    public void Configure(OpenIddictValidationAspNetCoreOptions options)
    {
        options.Realm = settings.Value.Audience;

        // RFC 6750 allows these, but a token in a URL ends up in access logs and browser history.
        options.DisableAccessTokenExtractionFromQueryString = true;
        options.DisableAccessTokenExtractionFromBodyForm = true;
    }

    /// <summary>
    /// OpenIddict's default retries for about 30 s while requests wait; here every call to the AuthServer is
    /// bounded by <c>BackchannelTimeout</c>, with two quick retries inside it.
    /// </summary>
    public void Configure(OpenIddictValidationSystemNetHttpOptions options)
    {
        options.HttpResiliencePipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(settings.Value.BackchannelTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
    }
}
