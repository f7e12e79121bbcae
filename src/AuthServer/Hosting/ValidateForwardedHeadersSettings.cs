using System.Net;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// Trusted proxies are IP addresses. Outside Development, listening on plain HTTP only with no trusted
/// TLS-terminating proxy would serve nothing (the OAuth endpoints refuse HTTP) while inviting clients to send
/// secrets in clear: refused.
/// </summary>
internal sealed class ValidateForwardedHeadersSettings(IConfiguration configuration, IHostEnvironment environment)
    : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = options.KnownProxies
            .Where(proxy => !IPAddress.TryParse(proxy, out _))
            .Select(proxy => $"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address.")
            .ToList();

        var urls = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var kestrelEndpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "");
        var all = urls.Concat(kestrelEndpoints).ToList();
        if (!environment.IsDevelopment() && all.Count > 0 && options.KnownProxies.Count == 0 &&
            !all.Any(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add(
                $"Outside Development AuthServer needs HTTPS, but it would listen on plain HTTP only ({string.Join(", ", all)}). " +
                "Give Kestrel an https:// URL and a certificate, or list the TLS-terminating proxy in ForwardedHeaders:KnownProxies.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
