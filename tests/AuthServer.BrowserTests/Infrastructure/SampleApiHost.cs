using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthServer.BrowserTests.Infrastructure;

/// <summary>
/// The SampleApi on real loopback ports (Kestrel, in process), one origin per port: a browser page is served by
/// each, and AuthServer tells them apart by the port in their <c>Origin</c>.
/// </summary>
public sealed class SampleApiHost : WebApplicationFactory<SampleApi.Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private SampleApiHost(IReadOnlyDictionary<string, string?> settings, int[] ports)
    {
        _settings = settings;
        Origins = [.. ports.Select(port => new Uri($"http://127.0.0.1:{port}"))];
    }

    public static SampleApiHost Start(IReadOnlyDictionary<string, string?> settings, params int[] ports)
    {
        var host = new SampleApiHost(settings, ports);
        host.UseKestrel(kestrel =>
        {
            foreach (var port in ports)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        host.StartServer();
        return host;
    }

    public IReadOnlyList<Uri> Origins { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (name, value) in _settings)
        {
            builder.UseSetting(name, value);
        }
    }
}
