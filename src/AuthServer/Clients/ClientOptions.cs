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

    /// <summary>A cached client is re-read after this long even when no change was seen (a safety net).</summary>
    public TimeSpan MaxCacheAge { get; set; } = TimeSpan.FromMinutes(5);
}
