namespace AuthServer.Webhooks;

/// <summary>An endpoint as the admin API and the CLI show it; never its signing secret.</summary>
public sealed record WebhookEndpointView(
    string Id, string AccountId, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTime CreatedAt,
    bool Enabled, DateTime? DisabledAt, string? DisabledReason, int ConsecutiveFailures, DateTime? FailingSince)
{
    public static WebhookEndpointView Of(WebhookEndpoint e) => new(
        e.Id, e.AccountId, e.Url, WebhookEventTypes.Parse(e.EventTypes), e.Description, e.CreatedAt,
        e.Enabled, e.DisabledAt, e.DisabledReason, e.ConsecutiveFailures, e.FailingSince);
}

/// <summary>The only time an endpoint's signing secret is shown.</summary>
public sealed record CreatedWebhookEndpoint(WebhookEndpointView Endpoint, string SigningSecret);

public sealed record WebhookAttemptView(DateTime AttemptedAt, int? StatusCode, string? Error, int DurationMilliseconds);

/// <summary>One line of an endpoint's delivery log: which event, where it stands, and each attempt.</summary>
public sealed record WebhookDeliveryView(
    long Id, string EventId, string EventType, WebhookDeliveryStatus Status, DateTime CreatedAt, int Attempts,
    DateTime? NextAttemptAt, DateTime? DeliveredAt, IReadOnlyList<WebhookAttemptView> AttemptLog);
