namespace AuthServer.ResourceServer.Revocations;

/// <summary>Whether the revocation stream is being followed, as the health check and the logs tell it.</summary>
internal sealed class RevocationStreamState(TimeProvider time)
{
    private long _lastHeardTicks;
    private long _heartbeatTicks = TimeSpan.FromSeconds(5).Ticks;

    public string? NotFollowedBecause { get; set; }

    public string? LastFailure { get; set; }

    public DateTimeOffset? LastHeard => Interlocked.Read(ref _lastHeardTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public TimeSpan Heartbeat
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _heartbeatTicks));
        set => Interlocked.Exchange(ref _heartbeatTicks, value.Ticks);
    }

    /// <summary>The stream is current while something (an event or a heartbeat) arrived within three heartbeats.</summary>
    public bool IsCurrent => LastHeard is { } heard && time.GetUtcNow() - heard <= 3 * Heartbeat;

    public void Heard() => Interlocked.Exchange(ref _lastHeardTicks, time.GetUtcNow().UtcTicks);
}
