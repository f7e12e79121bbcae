namespace AuthServer.Clients;

/// <summary>When the change feed was last read completely; until then, cached clients are not trusted.</summary>
public sealed class ClientChangeFeedHealth(Microsoft.Extensions.Options.IOptions<ClientOptions> options)
{
    private long _lastReadTicks = DateTimeOffset.MinValue.UtcTicks;

    public DateTimeOffset LastRead => new(Interlocked.Read(ref _lastReadTicks), TimeSpan.Zero);

    public void MarkRead(DateTimeOffset at) => Interlocked.Exchange(ref _lastReadTicks, at.UtcTicks);

    public bool IsCurrentAt(DateTimeOffset now) => now - LastRead <= options.Value.MaxStaleness;
}
