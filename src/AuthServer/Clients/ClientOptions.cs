namespace AuthServer.Clients;

/// <summary>How long a server instance may answer from its in-memory copy of a client (section <c>Clients</c>).</summary>
public sealed class ClientOptions
{
    public const string Section = "Clients";

    /// <summary>How often each instance reads the change feed (revocations, new expiries) from the database.</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest a revocation made on another instance may go unnoticed. When the change feed has not been
    /// read successfully for this long, cached clients are not trusted and every request reads the database.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a request waits for the database to read a client; past it the request is answered
    /// <c>503 temporarily_unavailable</c> instead of hanging on a stalled database.
    /// </summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A cached client is re-read after this long even when no change was seen (a safety net).</summary>
    public TimeSpan MaxCacheAge { get; set; } = TimeSpan.FromMinutes(5);
}
