using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Observability.PrometheusScrapeText;

namespace AuthServer.Tests.Observability;

/// <summary>
/// OpenTelemetry listens to every meter named "AuthServer" in the process, so a scrape would also show the test
/// servers of other classes; these classes run alone, after the parallel ones (one server per process in production).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneScrapedServerAtATime
{
    public const string Name = "Prometheus scraping";
}

/// <summary>A server whose operator turned the Prometheus scrape on (<c>Observability:Prometheus:Enabled</c>).</summary>
public sealed class PrometheusWorld() : TestWorld(WebhookTestSettings.With(new Dictionary<string, string?> { ["Observability:Prometheus:Enabled"] = "true" }))
{
    // Kept for the world's life: a stopped receiver's ASP.NET Core meters would take the server's request durations,
    // which have the same names, out of the scrape with them.
    private WebhookReceiver? _receiver;

    public string? ReceiverUrl => _receiver?.Url;

    /// <summary>An endpoint for Acme's new keys at a loopback receiver, and one delivered attempt to it.</summary>
    public async Task DeliverOneWebhookAsync()
    {
        _receiver ??= await WebhookReceiver.StartAsync();
        var before = _receiver.Received.Count;
        await Provision.InScope<AuthServer.Webhooks.WebhookService, AuthServer.Webhooks.CreatedWebhookEndpoint>(service =>
            service.CreateAsync(Acme.Id, new(_receiver.Url, ["key.created"], null), TestActor, CancellationToken.None));
        await CreateKeyAsync(["invoices:read"]);
        await _receiver.WaitForAsync(r => r.Count > before);
        await Task.Delay(300); // the attempt is counted when its result is recorded
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}

[Collection(OneScrapedServerAtATime.Name)]
public sealed class ObservabilityPrometheusTests(PrometheusWorld world) : IClassFixture<PrometheusWorld>
{
    private HttpClient Http => world.Http;

    [Fact]
    public async Task An_issued_token_and_a_refusal_for_bad_credentials_are_counted_with_the_reason_and_nothing_names_the_key()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var before = await Http.ScrapeAsync();

        using var issued = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        using var refused = await Http.RequestTokenAsync(key.Key.KeyId, AuthServer.Secrets.ClientSecret.Generate());
        var after = await Http.ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(Value(after, "authserver_tokens_issued_total") >= Value(before, "authserver_tokens_issued_total") + 1, after);
        Assert.True(Value(after, "authserver_tokens_refused_total", ("reason", "invalid_client")) >=
                    Value(before, "authserver_tokens_refused_total", ("reason", "invalid_client")) + 1, after);
        Assert.DoesNotContain(key.Key.KeyId, after);
        Assert.DoesNotContain(key.Secret, after);
        Assert.DoesNotContain(AuthServer.Secrets.ClientSecret.Prefix, after);
        Assert.DoesNotContain("ak_", after);
        Assert.DoesNotContain(world.Acme.Id, after);
    }

    [Fact]
    public async Task An_expired_key_and_a_scope_the_key_does_not_hold_are_told_apart_from_bad_credentials()
    {
        var expired = await world.CreateKeyAsync(["invoices:read"]);
        await world.ExpireKeyAsync(expired.Key.KeyId);
        var narrow = await world.CreateKeyAsync(["invoices:read"]);
        var before = await Http.ScrapeAsync();

        using var expiredAnswer = await Http.RequestTokenAsync(expired.Key.KeyId, expired.Secret);
        using var scopeAnswer = await Http.RequestTokenAsync(narrow.Key.KeyId, narrow.Secret, scope: "reports:read");
        var after = await Http.ScrapeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, expiredAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, scopeAnswer.StatusCode);
        foreach (var reason in new[] { "expired_key", "invalid_scope" })
        {
            Assert.True(Value(after, "authserver_tokens_refused_total", ("reason", reason)) >=
                        Value(before, "authserver_tokens_refused_total", ("reason", reason)) + 1, reason);
        }
    }

    [Fact]
    public async Task Introspections_are_counted_by_outcome_and_the_token_endpoint_has_its_own_latency_histogram()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var before = await Http.ScrapeAsync();

        var active = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        var inactive = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, "not-a-token");
        var after = await Http.ScrapeAsync();

        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.False(inactive.GetProperty("active").GetBoolean());
        foreach (var outcome in new[] { "active", "inactive" })
        {
            Assert.True(Value(after, "authserver_introspections_total", ("outcome", outcome)) >=
                        Value(before, "authserver_introspections_total", ("outcome", outcome)) + 1, outcome);
        }

        Assert.True(Value(after, "http_server_request_duration_seconds_count", ("http_route", "/connect/token")) >= 1, after);
        Assert.True(Value(after, "http_server_request_duration_seconds_count", ("http_route", "/connect/introspect")) >= 2, after);
    }

    [Fact]
    public async Task A_page_s_token_and_a_refusal_of_a_publishable_key_from_an_origin_not_allowed_are_counted_too()
    {
        var scope = $"obs-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        var browser = await world.Provision.CreateBrowserModeKeyAsync(world.Acme.Id, [scope], "https://app.example.com");
        var before = await Http.ScrapeAsync();

        using var issued = await Http.RequestBrowserTokenAsync(browser.PublishableKey, "https://app.example.com");
        using var refused = await Http.RequestBrowserTokenAsync(browser.PublishableKey, "https://elsewhere.example.com");
        var after = await Http.ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.True(Value(after, "authserver_tokens_issued_total") >= Value(before, "authserver_tokens_issued_total") + 1, after);
        Assert.True(Value(after, "authserver_tokens_refused_total") >= Value(before, "authserver_tokens_refused_total") + 1, after);
        Assert.DoesNotContain(browser.PublishableKey, after);
        Assert.DoesNotContain("pk_", after);
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_one_the_server_emits()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        (await Http.RequestTokenAsync(key.Key.KeyId, AuthServer.Secrets.ClientSecret.Generate())).Dispose();
        await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        await world.DeliverOneWebhookAsync();

        var emitted = SampleNames(await Http.ScrapeAsync());

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs", "grafana-dashboard.json")));
        var expressions = DashboardQueries.Expressions(dashboard.RootElement);

        Assert.NotEmpty(expressions);
        Assert.All(expressions, expression =>
        {
            var names = DashboardQueries.MetricNames(expression).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(emitted.Contains(name), $"The dashboard queries {name} ({expression}), which the server does not emit."));
        });
    }

    [Fact]
    public async Task A_delivered_webhook_is_counted_by_result_and_nothing_names_the_endpoint()
    {
        var before = Value(await Http.ScrapeAsync(), "authserver_webhook_attempts_total", ("result", "delivered"));

        await world.DeliverOneWebhookAsync();

        var scrape = await Http.ScrapeAsync();
        Assert.True(Value(scrape, "authserver_webhook_attempts_total", ("result", "delivered")) >= before + 1, scrape);
        Assert.DoesNotContain("whk_", scrape);
        Assert.DoesNotContain(world.ReceiverUrl!, scrape);
    }

    [Fact]
    public async Task The_directory_cache_the_change_feed_and_the_last_used_backlog_are_visible()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        var scrape = await Http.ScrapeAsync();

        Assert.True(Value(scrape, "authserver_client_directory_lookups_total", ("result", "miss")) >= 1, scrape);
        Assert.True(Value(scrape, "authserver_client_directory_lookups_total", ("result", "hit")) >= 1, scrape);
        Assert.InRange(Value(scrape, "authserver_change_feed_lag_seconds"), 0, 5);
        Assert.Contains("authserver_key_usage_backlog", SampleNames(scrape));
    }
}

/// <summary>Off by default: nothing answers at the scrape's path.</summary>
public sealed class ObservabilityPrometheusOffTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task Without_the_setting_there_is_no_scraping_endpoint()
    {
        using var response = await world.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("authserver_", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// A key over its per-window budget is counted as throttled; with the fast paths off, so that OpenIddict's pipeline
/// answers both requests and its answers are counted as the fast path's are.
/// </summary>
[Collection(OneScrapedServerAtATime.Name)]
public sealed class ObservabilityThrottleTests(ObservabilityThrottleTests.World world) : IClassFixture<ObservabilityThrottleTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Observability:Prometheus:Enabled"] = "true",
        ["Throttling:TokensPerKey"] = "1",
        ["Tokens:FastPaths"] = "false",
    });

    [Fact]
    public async Task Through_openiddicts_pipeline_an_issued_token_and_one_over_the_keys_limit_are_counted()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var first = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        using var second = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        var scrape = await world.Http.ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(1, Value(scrape, "authserver_tokens_issued_total"));
        Assert.Equal(1, Value(scrape, "authserver_tokens_refused_total", ("reason", "throttled")));
    }
}
