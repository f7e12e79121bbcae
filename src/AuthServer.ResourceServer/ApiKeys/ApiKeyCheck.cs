using System.Security.Claims;
using AuthServer.ResourceServer.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// For long-lived requests (a server-sent event stream, a long download): whether the API key the request was
/// authenticated with is still valid, asked again through the same short cache as every request. Checking every
/// <see cref="Interval"/> ends such a request within about that long after the key is revoked, as a new
/// request would be refused.
/// </summary>
public sealed class ApiKeyCheck
{
    private readonly ApiKeyAnswerCache _answers;
    private readonly AuthServerMetadataCache _metadata;
    private readonly IOptions<AuthServerResourceOptions> _options;

    internal ApiKeyCheck(ApiKeyAnswerCache answers, AuthServerMetadataCache metadata, IOptions<AuthServerResourceOptions> options)
    {
        _answers = answers;
        _metadata = metadata;
        _options = options;
    }

    /// <summary>How often a long-lived request should check: <c>ApiKeyCacheDuration</c>.</summary>
    public TimeSpan Interval => _options.Value.ApiKeyCacheDuration;

    /// <summary>
    /// True: the request was not authenticated by an API key, or its key is still valid. False: the AuthServer now
    /// refuses the key (revoked, expired, no longer usable directly). Null: the AuthServer cannot be asked right now.
    /// </summary>
    public async Task<bool?> IsStillValidAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.User.IsApiKey() || SecretOf(context.Request) is not { } secret)
        {
            return true;
        }

        var endpoint = (await _metadata.GetConfigurationAsync(cancellationToken)).IntrospectionEndpoint;
        if (endpoint is null)
        {
            return null;
        }

        var presenter = context.Connection.RemoteIpAddress?.ToString();
        return (await _answers.GetAsync(endpoint, secret, presenter, cancellationToken)).Outcome switch
        {
            ApiKeyOutcome.Active => true,
            ApiKeyOutcome.Inactive => false,
            _ => null,
        };
    }

    private static string? SecretOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ExtractApiKeyHeader.Header, out var header) && header.Count == 1)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : null;
    }
}
