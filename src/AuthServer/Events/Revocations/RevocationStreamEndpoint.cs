using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Throttling;
using AuthServer.Tokens;
using Microsoft.Extensions.Options;

namespace AuthServer.Events.Revocations;

/// <summary>
/// <c>GET /events/revocations</c>: key revocations as a server-sent-events stream of Security Event Tokens, for
/// resource servers that validate tokens locally. Authenticated like introspection, by a resource server's
/// credentials (HTTP Basic). It starts with a <c>stream</c> event (how long revocations are kept, how often to expect
/// a heartbeat), replays the revocations of that window the follower has not seen (<c>Last-Event-ID</c>), then pushes
/// each new one (event <c>set</c>, data the SET) and a <c>heartbeat</c> whenever it is current and has nothing to send.
/// Event IDs are resume points, not event numbers: resuming may repeat a SET (followers deduplicate by <c>jti</c>),
/// never skip one.
/// </summary>
public sealed partial class RevocationStreamEndpoint(
    ClientAuthenticator authenticator,
    FailedAuthenticationThrottle throttle,
    RevocationWindow window,
    SecurityEventTokenWriter writer,
    TokenIssuer issuers,
    TimeProvider time,
    IOptions<EventOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RevocationStreamEndpoint> logger)
{
    public const string Path = "/events/revocations";

    /// <summary>A stream ends after this, so that its follower authenticates again (credentials may have changed) and resumes.</summary>
    public static readonly TimeSpan MaxStreamDuration = TimeSpan.FromMinutes(10);

    public async Task HandleAsync(HttpContext context)
    {
        if (await RefusalAsync(context) is { } refusal)
        {
            await refusal;
            return;
        }

        if (!issuers.TryGet(context.Request, out var issuer) || !IsCurrent())
        {
            context.Response.Headers.RetryAfter = "1";
            await OAuthErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable",
                "The server cannot read the revocations right now; retry shortly.");
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // proxies that buffer would hold the events back
        var seenUpTo = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
        // Ends when the server stops, not only when the follower leaves: a graceful shutdown would otherwise wait for
        // every follower's stream until its timeout. Followers reconnect, to another instance or this one restarted.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        await TypedResults.ServerSentEvents(EventsAsync(issuer, seenUpTo, ending.Token)).ExecuteAsync(context);
    }

    private async IAsyncEnumerable<SseItem<string>> EventsAsync(string issuer, long? seenUpTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var heartbeat = options.Value.HeartbeatInterval;
        using var following = window.Follow(seenUpTo);
        yield return new SseItem<string>(JsonSerializer.Serialize(new
        {
            retention_seconds = (long)window.Retention.TotalSeconds,
            heartbeat_seconds = heartbeat.TotalSeconds,
        }), "stream") { ReconnectionInterval = TimeSpan.FromSeconds(1) };

        var resumeFrom = seenUpTo ?? -1;
        foreach (var revocation in following.Missing)
        {
            yield return Set(revocation, issuer, resumeFrom);
        }

        resumeFrom = following.ResumeFrom;
        yield return Heartbeat(resumeFrom);
        var started = time.GetUtcNow();
        var lastHeartbeat = started;
        while (!cancellationToken.IsCancellationRequested && time.GetUtcNow() - started < MaxStreamDuration)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromTicks(Math.Max(heartbeat.Ticks - (time.GetUtcNow() - lastHeartbeat).Ticks, TimeSpan.FromMilliseconds(10).Ticks)));
            bool? more;
            try
            {
                more = await following.Next.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    yield break; // the follower left, or the server is stopping
                }

                more = null; // nothing to send for a heartbeat's time
            }

            if (more is null)
            {
                lastHeartbeat = time.GetUtcNow();
                if (IsCurrent())
                {
                    yield return Heartbeat(resumeFrom);
                }

                continue;
            }

            if (more == false)
            {
                LogFollowerDropped(logger);
                yield break;
            }

            while (following.Next.TryRead(out var item))
            {
                if (item.Revocation is { } revocation)
                {
                    yield return Set(revocation, issuer, item.ResumeFrom);
                }
                else
                {
                    resumeFrom = item.ResumeFrom;
                }
            }

            // Events of other kinds move the resume point often; the heartbeat still goes out on time.
            if (time.GetUtcNow() - lastHeartbeat >= heartbeat && IsCurrent())
            {
                lastHeartbeat = time.GetUtcNow();
                yield return Heartbeat(resumeFrom);
            }
        }
    }

    private SseItem<string> Set(Revocation revocation, string issuer, long resumeFrom) =>
        new(revocation.SignedFor(issuer, writer), "set") { EventId = Id(resumeFrom) };

    private static SseItem<string> Heartbeat(long resumeFrom) => new("{}", "heartbeat") { EventId = Id(resumeFrom) };

    private static string Id(long resumeFrom) => Math.Max(resumeFrom, 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>Current while the revocations were read within two polls (a missed poll is not yet a fault).</summary>
    private bool IsCurrent() => window.HasBeenRead && time.GetUtcNow() - window.ReadAt <= 2 * options.Value.PollInterval + TimeSpan.FromSeconds(1);

    private async Task<Task?> RefusalAsync(HttpContext context)
    {
        if (!ClientCredentials.TryReadBasic(context.Request.Headers.Authorization.ToString(), out var credentials))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"AuthServer\"";
            return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_client",
                "Authenticate with this resource server's credentials (HTTP Basic), as for introspection.");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = await authenticator.AuthenticateAsync(credentials.ClientId, credentials.Secret, context.Connection.RemoteIpAddress, ClientKind.ResourceServer, context.RequestAborted);
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Authenticated:
                return null;
            case AuthenticationOutcome.Throttled:
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests, "temporarily_unavailable", "Too many failed authentication attempts; retry later.");
            case AuthenticationOutcome.DatabaseUnavailable:
                context.Response.Headers.RetryAfter = "1";
                return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "The server cannot check client credentials right now; retry shortly.");
            case AuthenticationOutcome.WrongKind:
                return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "unauthorized_client", "Only resource servers' credentials may follow the revocations.");
            default:
                LogRefused(logger, ClientSecret.SafeForLogs(credentials.ClientId), result.Outcome);
                throttle.RecordFailure(credentials.ClientId, address);
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"AuthServer\"";
                return OAuthErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_client", "The client credentials are invalid.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revocation stream refused to client_id {ClientId}: {Outcome}.")]
    private static partial void LogRefused(ILogger logger, string clientId, AuthenticationOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "A revocation follower fell too far behind and was disconnected; it resumes from its last event ID.")]
    private static partial void LogFollowerDropped(ILogger logger);
}
