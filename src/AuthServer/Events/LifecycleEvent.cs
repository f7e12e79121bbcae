namespace AuthServer.Events;

/// <summary>
/// Something that happened to a key or to the people of an account, as those who follow the account see it (webhook
/// receivers, resource servers). Written in the same transaction as the change it describes (an outbox), so that a
/// change and its event are saved together or not at all. Never contains a secret.
/// </summary>
public sealed class LifecycleEvent
{
    /// <summary>Assigned by the database in insert order; what followers resume from.</summary>
    public long Id { get; init; }

    /// <summary>Stable and unique (<c>evt_…</c>): receivers deduplicate by it.</summary>
    public required string EventId { get; init; }

    /// <summary>One of <see cref="LifecycleEventTypes"/>, e.g. <c>key.revoked</c>.</summary>
    public required string Type { get; init; }

    public DateTime OccurredAt { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The key the event is about; null for member events.</summary>
    public string? KeyId { get; init; }

    /// <summary>What changed: the key ID, or the member's email for member events.</summary>
    public required string Subject { get; init; }

    /// <summary>JSON with the values that matter (the same as the audit entry's), or null.</summary>
    public string? Details { get; init; }

    /// <summary>
    /// Set for events that no person causes (a key expiring), which every instance may notice: a unique value per
    /// occurrence, so that only the first instance's insert is kept.
    /// </summary>
    public string? OccurrenceKey { get; init; }

    public static string NewEventId() => "evt_" + Guid.CreateVersion7().ToString("N");
}
