namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// The server's clock: the system's, moved forward by <see cref="Advance"/> (timers keep running in real time), so a
/// test can step past a grace end or an expiry without waiting and without stopping the background services.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
