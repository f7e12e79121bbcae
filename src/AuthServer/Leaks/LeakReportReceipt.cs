namespace AuthServer.Leaks;

/// <summary>A report already acted on, by the SHA-256 of its body: the same report sent again is a replay.</summary>
public sealed class LeakReportReceipt
{
    public required string BodyHash { get; init; }

    public DateTime ReceivedAt { get; init; }
}
