namespace AuthServer.Leaks;

/// <summary>What a confirmed leak report does to a live key.</summary>
public enum LeakAction
{
    /// <summary>Revoke the key at once (its event: <c>key.leak_reported</c>, then <c>key.revoked</c>).</summary>
    Revoke,

    /// <summary>Only record <c>key.leak_reported</c> (audit and event); the key keeps working.</summary>
    Flag,
}

/// <summary>Section <c>LeakReports</c>: the endpoint a secret-scanning partner program (GitHub's format) calls.</summary>
public sealed class LeakReportOptions
{
    public const string Section = "LeakReports";

    /// <summary>
    /// The scanner's public keys (PEM, ECDSA P-256) by key identifier, as GitHub publishes them at
    /// <c>https://api.github.com/meta/public_keys/secret_scanning</c>. None: the endpoint does not exist.
    /// </summary>
    public Dictionary<string, string> VerificationKeys { get; set; } = new(StringComparer.Ordinal);

    public LeakAction Action { get; set; } = LeakAction.Revoke;

    /// <summary>Reports accepted per minute from one address on each instance; more get 429.</summary>
    public int ReportsPerMinute { get; set; } = 60;

    /// <summary>Secrets in one report; more is a 400.</summary>
    public int MaxSecretsPerReport { get; set; } = 1000;

    /// <summary>How long a signed report is remembered, so that the same one sent again is refused.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromDays(1);
}
