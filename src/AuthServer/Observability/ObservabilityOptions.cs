namespace AuthServer.Observability;

/// <summary>Section <c>Observability</c>: where metrics can be read. OTLP export is set by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    public PrometheusOptions Prometheus { get; set; } = new();
}

/// <summary>Section <c>Observability:Prometheus</c>: a scraping endpoint, off by default.</summary>
public sealed class PrometheusOptions
{
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// When set, the endpoint answers only requests that arrived on this local port (which the server must also
    /// listen on, e.g. <c>Urls=https://+:443;http://+:9464</c>), and plain HTTP is accepted there for it, as for the
    /// health probes. Unset: the endpoint follows the same transport rules as every other path.
    /// </summary>
    public int? Port { get; set; }
}
