using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Observability;

/// <summary>The real binary: the scrape on its own port, and settings that stop the start.</summary>
public sealed class ObservabilityProcessTests
{
    [Fact]
    public async Task On_its_own_port_the_scrape_answers_plain_http_there_only_and_opens_nothing_else()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        var (publicPort, metricsPort) = (AuthServerProcess.FreeLoopbackPort(), AuthServerProcess.FreeLoopbackPort());
        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort};http://127.0.0.1:{metricsPort}",
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1", // TLS ends at a proxy in front of the public port
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            ["Observability__Prometheus__Enabled"] = "true",
            ["Observability__Prometheus__Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var metrics = new Uri($"http://127.0.0.1:{metricsPort}");
        await server.WaitUntilReadyAsync(metrics, TimeSpan.FromSeconds(60));
        using var http = new HttpClient();

        using var scrape = await http.GetAsync(new Uri(metrics, "/metrics"));
        using var tokenOnMetricsPort = await http.PostAsync(new Uri(metrics, "/connect/token"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));
        using var throughProxy = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{publicPort}/metrics");
        throughProxy.Headers.Add("X-Forwarded-Proto", "https");
        using var publicScrape = await http.SendAsync(throughProxy);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("authserver_change_feed_lag_seconds", await scrape.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, tokenOnMetricsPort.StatusCode); // plain HTTP is for the scrape only
        Assert.Equal(HttpStatusCode.NotFound, publicScrape.StatusCode);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_set_traces_and_metrics_are_exported_to_it_without_the_secret_sent()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        using var collector = new FakeOtlpCollector();
        var baseAddress = new Uri($"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}");
        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
        var secret = AuthServer.Secrets.ClientSecret.Generate();
        using var http = new HttpClient { BaseAddress = baseAddress };

        using var refused = await http.RequestTokenAsync("ak_unknownkey000000", secret);
        using var inPath = await http.GetAsync($"/{secret}"); // refused, but its span was opened before that
        using var inQuery = await http.GetAsync($"/.well-known/jwks?key={secret}");
        var traces = await collector.WaitForAsync("/v1/traces", "/connect/token", TimeSpan.FromSeconds(30));
        var exported = await collector.WaitForAsync("/v1/metrics", "authserver.tokens.refused", TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inPath.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inQuery.StatusCode);
        await collector.WaitForAsync("/v1/traces", "/[redacted]", TimeSpan.FromSeconds(30));
        Assert.Contains("invalid_client", System.Text.Encoding.UTF8.GetString(exported));
        Assert.Contains("POST", System.Text.Encoding.UTF8.GetString(traces));
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(collector.Everything()));
    }

    [Fact]
    public async Task With_the_json_formatter_every_console_log_line_is_a_json_object()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}");
        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            ["Logging__Console__FormatterName"] = "json",
        });
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseAddress };
        (await http.RequestTokenAsync("ak_unknownkey000000", AuthServer.Secrets.ClientSecret.Generate())).Dispose();
        await Task.Delay(500);
        server.Kill();

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.Contains("AuthServer.Tokens.AuthenticateClient", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(line).RootElement.ValueKind));
    }

    [Theory]
    [InlineData("Observability__Prometheus__Path", "metrics", "Observability:Prometheus:Path must be an absolute path such as /metrics (no query, no trailing slash).")]
    [InlineData("Observability__Prometheus__Path", "/admin/metrics", "Observability:Prometheus:Path must not be under /admin, which has its own access rules.")]
    [InlineData("Observability__Prometheus__Port", "70000", "Observability:Prometheus:Port must be between 1 and 65535.")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URL.")]
    public async Task An_invalid_observability_setting_stops_the_server_with_one_line_naming_it(string setting, string value, string message)
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;

        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            ["Observability__Prometheus__Enabled"] = "true",
            [setting] = value,
        });

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal($"AuthServer cannot start: {message}", Assert.Single(server.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
    }
}
