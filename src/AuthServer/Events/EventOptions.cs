namespace AuthServer.Events;

/// <summary>Section <c>Events</c>: key lifecycle events and the revocation stream.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>How often each instance reads the events written by every instance, for the streams it serves.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long before a key's expiry its <c>key.expiring_soon</c> event is written.</summary>
    public TimeSpan ExpiringSoonNotice { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often keys are checked for <c>key.expiring_soon</c> and <c>key.expired</c>.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the revocation stream says it is current when there is nothing to send.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
