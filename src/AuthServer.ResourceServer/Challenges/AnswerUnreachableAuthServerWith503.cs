using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreHandlers;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace AuthServer.ResourceServer.Challenges;

/// <summary>
/// OpenIddict reports an AuthServer it cannot reach (no metadata, keys or introspection answer) as
/// <c>server_error</c> and answers 500. That is neither this API's fault nor a bad token: answer
/// 503 with Retry-After and a problem details body, and no bearer challenge, so clients retry instead of
/// throwing their token away. An API key the AuthServer throttles (too many bad keys from the client's address) is
/// answered 429 with the AuthServer's Retry-After instead.
/// </summary>
internal sealed class AnswerUnreachableAuthServerWith503(IOptions<AuthServerResourceOptions> options) : IOpenIddictValidationHandler<ProcessChallengeContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessChallengeContext>()
            .UseSingletonHandler<AnswerUnreachableAuthServerWith503>()
            .SetOrder(AttachHttpResponseCode<ProcessChallengeContext>.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessChallengeContext context)
    {
        if (context.Transaction.Response?.Error != Errors.ServerError || context.Transaction.GetHttpRequest() is not { } request)
        {
            return;
        }

        var response = request.HttpContext.Response;
        response.Headers.CacheControl = "no-store";
        if (ApiKeys.ApiKeyThrottled.Of(context.Transaction) is { } retryAfter)
        {
            response.Headers.RetryAfter = Seconds(retryAfter);
            await Results.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many invalid API keys",
                detail: "Too many invalid API keys were sent from this address. Retry later.")
                .ExecuteAsync(request.HttpContext);
            context.HandleRequest();
            return;
        }

        response.Headers.RetryAfter = Seconds(options.Value.MinimumKeyRefreshInterval);
        await Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Authorization server unavailable",
            detail: "The access token cannot be checked right now because the authorization server cannot be reached. Retry shortly with the same token.")
            .ExecuteAsync(request.HttpContext);
        context.HandleRequest();
    }

    private static string Seconds(TimeSpan after) =>
        Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
