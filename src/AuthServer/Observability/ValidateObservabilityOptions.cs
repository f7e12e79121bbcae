using Microsoft.Extensions.Options;

namespace AuthServer.Observability;

internal sealed class ValidateObservabilityOptions(IConfiguration configuration) : IValidateOptions<ObservabilityOptions>
{
    // The scrape must never shadow, or be shadowed by, a path that has its own access rules.
    private static readonly string[] ReservedPaths = ["/connect", "/admin", "/console", "/health", "/.well-known", "/openapi", "/events", "/secret-scanning"];

    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        List<string> failures = [];
        var prometheus = options.Prometheus;
        var path = prometheus.Path;
        if (path is not ['/', _, ..] || path.EndsWith('/') || path.Any(c => c is '?' or '#' or '%' or ' ' || char.IsControl(c)))
        {
            failures.Add("Observability:Prometheus:Path must be an absolute path such as /metrics (no query, no trailing slash).");
        }
        else if (ReservedPaths.FirstOrDefault(reserved => new PathString(path).StartsWithSegments(reserved, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            failures.Add($"Observability:Prometheus:Path must not be under {taken}, which has its own access rules.");
        }

        if (prometheus.Port is < 1 or > 65535)
        {
            failures.Add("Observability:Prometheus:Port must be between 1 and 65535.");
        }

        if (configuration[ObservabilitySetup.OtlpEndpointVariable] is { Length: > 0 } endpoint &&
            !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            failures.Add($"{ObservabilitySetup.OtlpEndpointVariable} must be an absolute http or https URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
