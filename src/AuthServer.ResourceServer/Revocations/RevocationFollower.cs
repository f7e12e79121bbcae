using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using AuthServer.ResourceServer.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.ResourceServer.Revocations;

/// <summary>
/// In Local mode, follows the AuthServer's revocation stream (<c>GET /events/revocations</c>, server-sent events of
/// Security Event Tokens) with this API's credentials, so that a revoked key's tokens are refused within about a
/// second instead of at their <c>exp</c>. Each SET's signature is checked with the AuthServer's published keys.
/// Reconnects with <c>Last-Event-ID</c> (after a second, backing off to 10 s: after an outage the API is current again
/// within about 10 s); a stream silent for three heartbeats is treated as lost (a half-open connection sends nothing
/// and fails nothing).
/// </summary>
internal sealed partial class RevocationFollower(
    IHttpClientFactory clients,
    AuthServerMetadataCache metadata,
    RevokedKeys revoked,
    RevocationStreamState state,
    IOptions<AuthServerResourceOptions> options,
    TimeProvider time,
    ILogger<RevocationFollower> logger) : BackgroundService
{
    public const string HttpClientName = "AuthServer.Revocations";
    private const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    private static readonly JsonWebTokenHandler Handler = new();

    private string? _lastEventId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Mode != TokenValidationMode.Local || !settings.FollowRevocations || string.IsNullOrEmpty(settings.ClientSecret))
        {
            state.NotFollowedBecause = settings.Mode != TokenValidationMode.Local ? "introspection sees every revocation at once"
                : !settings.FollowRevocations ? "AuthServer:FollowRevocations is false; a revoked key's tokens are accepted until their exp"
                : "no AuthServer:ClientSecret to follow them with; a revoked key's tokens are accepted until their exp";
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(stoppingToken);
                delay = TimeSpan.FromSeconds(1);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OutOfMemoryException)
            {
                state.LastFailure = exception is StreamRefusedException ? exception.Message : exception.GetType().Name;
                LogLost(logger, state.LastFailure);
            }

            if (state.IsCurrent)
            {
                delay = TimeSpan.FromSeconds(1);
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Issuer!, "events/revocations"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(settings.EffectiveClientId)}:{Uri.EscapeDataString(settings.ClientSecret!)}")));
        if (_lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", _lastEventId);
        }

        using var silence = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        silence.CancelAfter(settings.BackchannelTimeout);
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = Timeout.InfiniteTimeSpan; // bounded by the silence timer
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, silence.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new StreamRefusedException($"HTTP {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(silence.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(silence.Token))
        {
            silence.CancelAfter(3 * state.Heartbeat);
            switch (item.EventType)
            {
                case "stream":
                    ReadStreamSettings(item.Data);
                    break;
                case "set":
                    await AcceptAsync(item.Data, stoppingToken);
                    break;
                case "heartbeat":
                    state.LastFailure = null;
                    break;
            }

            // Only once the event was taken: a connection lost before resumes from the last one that was.
            state.Heard();
            if (!string.IsNullOrEmpty(item.EventId))
            {
                _lastEventId = item.EventId;
            }
        }
    }

    private void ReadStreamSettings(string data)
    {
        using var document = JsonDocument.Parse(data);
        if (document.RootElement.TryGetProperty("retention_seconds", out var retention) && retention.TryGetDouble(out var seconds))
        {
            revoked.Retention = TimeSpan.FromSeconds(seconds);
        }

        if (document.RootElement.TryGetProperty("heartbeat_seconds", out var heartbeat) && heartbeat.TryGetDouble(out var every) && every > 0)
        {
            state.Heartbeat = TimeSpan.FromSeconds(every);
        }
    }

    private async Task AcceptAsync(string set, CancellationToken cancellationToken)
    {
        var configuration = await metadata.GetConfigurationAsync(cancellationToken);
        var result = await ValidateAsync(set, configuration.SigningKeys);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            configuration = await metadata.RefreshForUnknownKeyAsync(configuration, cancellationToken);
            result = await ValidateAsync(set, configuration.SigningKeys);
        }

        if (!result.IsValid)
        {
            // Not dropped: reconnecting resumes before it, and by then the keys may have been re-read.
            throw new StreamRefusedException($"a SET did not validate ({result.Exception?.GetType().Name})");
        }

        if (result.SecurityToken is not JsonWebToken token ||
            !token.TryGetPayloadValue<JsonElement>("events", out var events) || !events.TryGetProperty(CredentialChange, out var change) ||
            !change.TryGetProperty("change_type", out var type) || type.GetString() != "revoke" ||
            !token.TryGetPayloadValue<JsonElement>("sub_id", out var subject) || !subject.TryGetProperty("id", out var keyId) ||
            keyId.GetString() is not { Length: > 0 } key)
        {
            LogIgnored(logger, "not a key revocation");
            return;
        }

        var at = change.TryGetProperty("event_timestamp", out var timestamp) && timestamp.TryGetInt64(out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix) : time.GetUtcNow();
        revoked.Add(key, at);
        LogRevoked(logger, key);
    }

    private Task<TokenValidationResult> ValidateAsync(string set, IEnumerable<SecurityKey> keys) =>
        Handler.ValidateTokenAsync(set, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer!.AbsoluteUri,
            ValidTypes = ["secevent+jwt"],
            IssuerSigningKeys = keys,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });

    private sealed class StreamRefusedException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the AuthServer's revocation stream ({Reason}); reconnecting. Until it is read again, a key revoked since is refused only when its tokens expire.")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an event of the revocation stream: {Reason}.")]
    private static partial void LogIgnored(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {KeyId} was revoked: its tokens are refused from now on.")]
    private static partial void LogRevoked(ILogger logger, string keyId);
}
