namespace AuthServer.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event for one endpoint: added in the same transaction as the event (<see cref="WebhookOutbox"/>), so a change
/// that commits is delivered even after a crash, and unique per endpoint and event, so it is delivered once.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; init; }

    public required string EndpointId { get; init; }

    public WebhookEndpoint? Endpoint { get; init; }

    /// <summary>The event's stable ID (<c>evt_…</c>): the <c>webhook-id</c> receivers deduplicate by.</summary>
    public required string EventId { get; init; }

    public WebhookDeliveryStatus Status { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>Retries left after the next attempt fails (a manual redelivery gets none).</summary>
    public int RetriesLeft { get; set; }

    public int Attempts { get; set; }

    /// <summary>Which instance's batch holds the delivery, until when: another instance takes it over after that.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public List<WebhookAttempt> AttemptLog { get; init; } = [];
}

/// <summary>One try of a delivery, as the delivery log shows it: never the body, never the response's content.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; init; }

    public long DeliveryId { get; init; }

    public DateTime AttemptedAt { get; init; }

    /// <summary>The receiver's HTTP status, or null when there was no answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why it failed, in words (a timeout, a refused address…); null on success.</summary>
    public string? Error { get; init; }

    public int DurationMilliseconds { get; init; }
}
