namespace AuthServer.Webhooks;

/// <summary>
/// An HTTPS address that receives an account's lifecycle events of the types it chose, signed the Standard Webhooks
/// way with its own secret (kept encrypted with Data Protection, since signing needs it back).
/// </summary>
public sealed class WebhookEndpoint
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Url { get; set; }

    /// <summary>Event types, space-separated: exact types, <c>key.*</c>, <c>member.*</c> or <c>*</c>.</summary>
    public required string EventTypes { get; set; }

    public string? Description { get; set; }

    public required string ProtectedSecret { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool Enabled { get; set; } = true;

    public DateTime? DisabledAt { get; set; }

    /// <summary>Why it was disabled: by whom, or after failing for how long.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>Failed attempts since the last success.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>The first failure since the last success: what automatic disabling measures from.</summary>
    public DateTime? FailingSince { get; set; }

    public List<WebhookDelivery> Deliveries { get; init; } = [];

    public static string NewId() => "whk_" + Guid.CreateVersion7().ToString("N");
}
