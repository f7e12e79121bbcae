using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// Asks the AuthServer about a key's secret: one <c>POST /connect/introspect</c> with this API's own credentials,
/// <c>token_type_hint=api_key</c> and the address that presented the key (<c>presenter_address</c>, so the
/// AuthServer throttles a client sending bad keys and not this whole API). The answer becomes the same principal a
/// token gives: <c>sub</c>/<c>client_id</c> (the key ID), <c>account_id</c>, <c>scope</c> (only this API's),
/// <c>aud</c>, <c>iss</c>, and <c>exp</c> when the key expires. Never logs the secret.
/// </summary>
internal sealed partial class ApiKeyIntrospector(
    IHttpClientFactory clients, IOptions<AuthServerResourceOptions> options, TimeProvider time, ILogger<ApiKeyIntrospector> logger)
{
    private static readonly string[] ClaimNames = [Claims.Issuer, Claims.Subject, AuthServerClaims.ClientId, AuthServerClaims.AccountId, AuthServerClaims.Environment, AuthServerClaims.Scope, Claims.Audience];

    public const string HttpClientName = "AuthServer.ApiKeys";

    public async Task<ApiKeyAnswer> AskAsync(Uri endpoint, string secret, string? presenterAddress)
    {
        var settings = options.Value;
        var askedAt = time.GetUtcNow();
        var form = new Dictionary<string, string> { ["token"] = secret, ["token_type_hint"] = "api_key" };
        if (presenterAddress is not null)
        {
            form["presenter_address"] = presenterAddress;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(settings.EffectiveClientId)}:{Uri.EscapeDataString(settings.ClientSecret!)}")));
        using var timeout = new CancellationTokenSource(settings.BackchannelTimeout);
        try
        {
            var http = clients.CreateClient(HttpClientName);
            http.Timeout = Timeout.InfiniteTimeSpan; // bounded by BackchannelTimeout above
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                return new ApiKeyAnswer(ApiKeyOutcome.Throttled, null, askedAt, RetryAfter: retryAfter);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogRefused(logger, (int)response.StatusCode);
                return new ApiKeyAnswer(ApiKeyOutcome.Unavailable, null, askedAt);
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            return Read(body.RootElement, askedAt);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
        {
            LogUnreachable(logger, exception.GetType().Name);
            return new ApiKeyAnswer(ApiKeyOutcome.Unavailable, null, askedAt);
        }
    }

    private ApiKeyAnswer Read(JsonElement answer, DateTimeOffset askedAt)
    {
        var audience = options.Value.Audience!;
        if (answer.ValueKind != JsonValueKind.Object ||
            !answer.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True ||
            !Is(answer, "token_usage", "api_key") || !Is(answer, Claims.Audience, audience) ||
            !Is(answer, Claims.Issuer, options.Value.Issuer!.AbsoluteUri))
        {
            return new ApiKeyAnswer(ApiKeyOutcome.Inactive, null, askedAt);
        }

        var identity = new ClaimsIdentity(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        foreach (var name in ClaimNames)
        {
            if (answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                identity.AddClaim(new Claim(name, value.GetString()!));
            }
        }

        DateTimeOffset? expiresAt = null;
        if (answer.TryGetProperty(Claims.ExpiresAt, out var exp) && exp.TryGetInt64(out var seconds))
        {
            expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
            identity.AddClaim(new Claim(AuthServerClaims.Expires, seconds.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        identity.AddClaim(new Claim(AuthServerClaims.CredentialKind, AuthServerClaims.ApiKeyCredential));
        return new ApiKeyAnswer(ApiKeyOutcome.Active, new ClaimsPrincipal(identity), askedAt, expiresAt);
    }

    private static bool Is(JsonElement answer, string name, string expected) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == expected;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AuthServer refused to introspect an API key with status {Status}: check this API's introspection credentials (AuthServer:ClientId, AuthServer:ClientSecret).")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the AuthServer about an API key ({ErrorType}).")]
    private static partial void LogUnreachable(ILogger logger, string errorType);
}
