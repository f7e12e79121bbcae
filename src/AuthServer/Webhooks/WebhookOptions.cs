namespace AuthServer.Webhooks;

/// <summary>Section <c>Webhooks</c>: how lifecycle events are delivered to registered endpoints.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often each instance looks for deliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The waits between attempts after a failure: Standard Webhooks' schedule, about 27 hours in all.</summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>How long one attempt may take, connection included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An endpoint that has failed every attempt for this long (and <see cref="DisableAfterFailures"/> times) is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    public int DisableAfterFailures { get; set; } = 10;

    /// <summary>Deliveries one instance takes per poll (a fair share per account; see <see cref="WebhookClaim"/>).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Endpoints sent to at the same time by one instance (each endpoint's deliveries go in turn).</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>
    /// Loopback, private and link-local networks (CIDR) that endpoints may reach anyway, e.g. <c>10.0.0.0/8</c> for
    /// receivers inside the operator's network. Empty by default: no server-side request forgery through webhooks.
    /// </summary>
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Plain <c>http://</c> endpoints, for development only.</summary>
    public bool AllowHttp { get; set; }

    public static readonly TimeSpan[] StandardRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule.Count > 0 ? RetrySchedule : StandardRetrySchedule;

    /// <summary>
    /// A batch is held this long: longer than its attempts can take (each round of <see cref="MaxParallel"/> endpoints
    /// at most two <see cref="AttemptTimeout"/>s, plus one for recording), so only a crashed instance's batch is taken over.
    /// </summary>
    public TimeSpan ClaimDuration => AttemptTimeout * ((2 * ((BatchSize + MaxParallel - 1) / MaxParallel)) + 1);
}
