using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// With <c>AcceptApiKeys</c>, a key's secret may also come in an <c>x-api-key</c> header (OpenIddict reads
/// <c>Authorization: Bearer</c> itself, just before). A request with both is <c>invalid_request</c>: which one
/// counts would be a guess. Anything but a key's secret in <c>x-api-key</c> is <c>invalid_token</c>.
/// </summary>
internal sealed class ExtractApiKeyHeader(IOptions<AuthServerResourceOptions> options) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public const string Header = "x-api-key";

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<ExtractApiKeyHeader>()
            .SetOrder(ValidateRequiredTokens.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (!options.Value.AcceptApiKeys || !context.ExtractAccessToken || context.Transaction.GetHttpRequest() is not { } request ||
            !request.Headers.TryGetValue(Header, out var values))
        {
            return ValueTask.CompletedTask;
        }

        if (values.Count != 1 || string.IsNullOrEmpty(values[0]) || !string.IsNullOrEmpty(context.AccessToken))
        {
            context.Reject(Errors.InvalidRequest, $"Send one credential: an access token or an API key in Authorization: Bearer, or an API key in {Header}, not both.");
            return ValueTask.CompletedTask;
        }

        if (!ApiKeySecret.IsApiKey(values[0]))
        {
            context.Reject(Errors.InvalidToken, $"{Header} holds an API key's secret (authsk_…); send access tokens in Authorization: Bearer.");
            return ValueTask.CompletedTask;
        }

        context.AccessToken = values[0];
        return ValueTask.CompletedTask;
    }
}
