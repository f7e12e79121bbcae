using Microsoft.Extensions.Options;

namespace AuthServer.Observability;

/// <summary>Which requests the Prometheus scrape answers: exactly its path, and on its own port when one is set.</summary>
public sealed class PrometheusScrape(IOptions<ObservabilityOptions> options)
{
    private readonly PrometheusOptions _options = options.Value.Prometheus;

    public bool Enabled => _options.Enabled;

    public bool Matches(HttpContext context) =>
        _options.Enabled &&
        context.Request.Path.Equals(_options.Path, StringComparison.OrdinalIgnoreCase) &&
        (_options.Port is not { } port || context.Connection.LocalPort == port);

    /// <summary>A scrape on its own port, which may be plain HTTP as the health probes are (an internal listener).</summary>
    public bool IsOnOwnPort(HttpContext context) => _options.Port is not null && Matches(context);
}
