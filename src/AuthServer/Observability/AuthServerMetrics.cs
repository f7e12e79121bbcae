using System.Diagnostics.Metrics;
using AuthServer.ApiKeys;
using AuthServer.Clients;

namespace AuthServer.Observability;

/// <summary>
/// AuthServer's own instruments, on the meter <see cref="MeterName"/>. Every label value comes from a fixed set
/// (<see cref="TokenRefusals"/>, <see cref="IntrospectionOutcomes"/>, hit or miss): never a key ID, client ID,
/// scope or anything a caller chose, so no label can carry a secret or grow without bound. The names are the
/// OpenTelemetry ones; Prometheus shows them with underscores and suffixes (<c>authserver_tokens_issued_total</c>).
/// </summary>
public sealed class AuthServerMetrics
{
    public const string MeterName = "AuthServer";

    public const string TokensIssued = "authserver.tokens.issued";
    public const string TokensRefused = "authserver.tokens.refused";
    public const string Introspections = "authserver.introspections";
    public const string DirectoryLookups = "authserver.client_directory.lookups";
    public const string ChangeFeedLag = "authserver.change_feed.lag";
    public const string KeyUsageBacklog = "authserver.key_usage.backlog";
    public const string WebhookAttempts = "authserver.webhook.attempts";

    private readonly Counter<long> _issued;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _introspections;
    private readonly Counter<long> _webhookAttempts;

    public AuthServerMetrics(IMeterFactory meterFactory, ClientDirectory directory, ClientChangeFeedHealth feed, KeyUsageRecorder usage, TimeProvider time)
    {
        var meter = meterFactory.Create(MeterName);
        _issued = meter.CreateCounter<long>(TokensIssued, "{token}", "Access tokens issued.");
        _refused = meter.CreateCounter<long>(TokensRefused, "{request}", "Token requests refused, by reason.");
        _introspections = meter.CreateCounter<long>(Introspections, "{request}", "Introspection requests answered, by outcome.");
        _webhookAttempts = meter.CreateCounter<long>(WebhookAttempts, "{attempt}",
            "Webhook delivery attempts, by result: delivered, retrying (failed, tried again later), failed (no retry left).");
        meter.CreateObservableCounter(DirectoryLookups, () => new[]
        {
            new Measurement<long>(directory.Lookups.Hits, new KeyValuePair<string, object?>("result", "hit")),
            new Measurement<long>(directory.Lookups.Misses, new KeyValuePair<string, object?>("result", "miss")),
        }, "{lookup}", "Client lookups by the token and introspection endpoints: served from memory (hit) or read from the database (miss).");
        meter.CreateObservableGauge(ChangeFeedLag, () => ChangeFeedLagOf(feed, time), "s",
            "Seconds since the change feed (revocations, expiries) was last read; above Clients:MaxStaleness every request reads the database.");
        meter.CreateObservableGauge(KeyUsageBacklog, () => usage.Backlog, "{key}", "Keys whose last-used time waits to be written.");
    }

    public void TokenIssued() => _issued.Add(1);

    public void TokenRefused(string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("reason", TokenRefusals.All.Contains(reason) ? reason : TokenRefusals.Other));

    public void Introspected(string outcome) =>
        _introspections.Add(1, new KeyValuePair<string, object?>("outcome", IntrospectionOutcomes.All.Contains(outcome) ? outcome : IntrospectionOutcomes.Other));

    public void WebhookAttempted(string result) =>
        _webhookAttempts.Add(1, new KeyValuePair<string, object?>("result", WebhookResults.All.Contains(result) ? result : TokenRefusals.Other));

    // Nothing until the feed has been read once: a lag since the year 1 would only make graphs unreadable.
    private static IEnumerable<Measurement<double>> ChangeFeedLagOf(ClientChangeFeedHealth feed, TimeProvider time)
    {
        var lastRead = feed.LastRead;
        return lastRead == DateTimeOffset.MinValue
            ? []
            : [new Measurement<double>(Math.Max(0, (time.GetUtcNow() - lastRead).TotalSeconds))];
    }
}

/// <summary>The <c>reason</c> label of <see cref="AuthServerMetrics.TokensRefused"/>.</summary>
public static class TokenRefusals
{
    public const string InvalidClient = "invalid_client";
    public const string ExpiredKey = "expired_key";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string Throttled = "throttled";
    public const string AuthenticationThrottled = "authentication_throttled";
    public const string Unavailable = "unavailable";
    public const string ServerError = "server_error";
    public const string Other = "other";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        InvalidClient, ExpiredKey, UnauthorizedClient, InvalidScope, InvalidRequest, InvalidGrant, UnsupportedGrantType,
        Throttled, AuthenticationThrottled, Unavailable, ServerError, Other,
    };
}

/// <summary>The <c>outcome</c> label of <see cref="AuthServerMetrics.Introspections"/>.</summary>
public static class IntrospectionOutcomes
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string InvalidClient = "invalid_client";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string InvalidRequest = "invalid_request";
    public const string Throttled = "throttled";
    public const string Unavailable = "unavailable";
    public const string ServerError = "server_error";
    public const string Other = "other";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Active, Inactive, InvalidClient, UnauthorizedClient, InvalidRequest, Throttled, Unavailable, ServerError, Other,
    };
}

/// <summary>The <c>result</c> label of <see cref="AuthServerMetrics.WebhookAttempts"/>.</summary>
public static class WebhookResults
{
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Delivered, Retrying, Failed };
}
