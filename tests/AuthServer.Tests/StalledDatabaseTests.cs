using System.Diagnostics;
using System.Net;
using System.Text;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// A database that accepts connections and then never answers (PostgreSQL behind <see cref="DatabaseProxy"/>):
/// every endpoint answers within <c>Clients:LoadTimeout</c> (2 s here) — token requests for cached and new keys,
/// introspection, the admin API, the revocation stream, readiness — also with more requests than the connection pool has connections,
/// and the server recovers by itself when the database answers again. The stopped database (connections
/// refused) is <see cref="DatabaseOutageTests"/>.
/// </summary>
public sealed class StalledDatabaseTests(StalledDatabaseTests.World world) : IClassFixture<StalledDatabaseTests.World>
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(2);

    // What the bound allows for the request itself on a busy 2-core machine (CI runs the three test projects at once;
    // a first-use token once took 3.3 s); two database waits (4 s) would still exceed it.
    private static readonly TimeSpan Bound = LoadTimeout + TimeSpan.FromMilliseconds(1800);

    [Fact]
    public async Task Every_endpoint_answers_within_the_load_timeout_while_the_database_is_stalled_and_recovers_after()
    {
        var cached = await world.CreateKeyAsync(["invoices:read"]);
        var token = await world.Http.GetAccessTokenAsync(cached.Key.KeyId, cached.Secret);
        Assert.True((await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token)).GetProperty("active").GetBoolean());
        var firstUse = await world.CreateKeyAsync(["invoices:read"]);
        var keysPath = $"/admin/v1/accounts/{world.Acme.Id}/keys";
        await world.Provision.SetPublishableAsync("invoices:read", publishable: true);
        var publishable = (await world.Provision.SetAllowedOriginsAsync(cached.Key.KeyId, "https://app.example.com")).PublishableKey;
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestBrowserTokenAsync(publishable, "https://app.example.com")).StatusCode);

        world.Proxy.Stall();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the 1 s staleness bound: the cache is no longer trusted

            await AssertUnavailableWithinBoundAsync("token, cached key", () => world.Http.RequestTokenAsync(cached.Key.KeyId, cached.Secret), oauth: true);
            await AssertUnavailableWithinBoundAsync("token, key used for the first time", () => world.Http.RequestTokenAsync(firstUse.Key.KeyId, firstUse.Secret), oauth: true);
            await AssertUnavailableWithinBoundAsync("token, client_secret_post", () => world.Http.RequestTokenAsync(cached.Key.KeyId, cached.Secret, basic: false), oauth: true);
            await AssertUnavailableWithinBoundAsync("introspection", () => Introspect(token), oauth: true);
            await AssertUnavailableWithinBoundAsync("token, publishable key", () => world.Http.RequestBrowserTokenAsync(publishable, "https://app.example.com"), oauth: true);
            await AssertUnavailableWithinBoundAsync("preflight", () =>
            {
                var preflight = new HttpRequestMessage(HttpMethod.Options, "/connect/token");
                preflight.Headers.Add("Origin", "https://app.example.com");
                preflight.Headers.Add("Access-Control-Request-Method", "POST");
                return world.Http.SendAsync(preflight);
            }, oauth: true);
            await AssertUnavailableWithinBoundAsync("admin list", () => world.AdminAsync(HttpMethod.Get, keysPath, world.OperatorToken), oauth: false);
            await AssertUnavailableWithinBoundAsync("admin create", () => world.AdminAsync(HttpMethod.Post, keysPath, world.OperatorToken, new { scopes = new[] { "invoices:read" } }), oauth: false);
            await AssertUnavailableWithinBoundAsync("revocation stream", () => world.Http.SendAsync(
                RevocationStreamClient.Request(world.Invoices.ClientId, world.Invoices.ClientSecret), HttpCompletionOption.ResponseHeadersRead), oauth: true);
            await AssertUnavailableWithinBoundAsync("readiness", () => world.Http.GetAsync("/health/ready"), oauth: null);
            using var live = await world.Http.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            world.Proxy.Resume();
        }

        Assert.True(await RecoversAsync(cached), "token requests did not succeed within 15 s of the database answering again");
        using var created = await world.AdminAsync(HttpMethod.Post, keysPath, world.OperatorToken, new { scopes = new[] { "invoices:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task More_concurrent_requests_than_pooled_connections_all_answer_within_the_load_timeout()
    {
        var keys = new List<TestKey>();
        for (var i = 0; i < 12; i++)
        {
            keys.Add(await world.CreateKeyAsync(["invoices:read"])); // never used: each request must read the database
        }

        world.Proxy.Stall();
        List<(HttpStatusCode Status, TimeSpan Elapsed)> answers;
        try
        {
            answers = [.. await Task.WhenAll(keys.Select(async key =>
            {
                var clock = Stopwatch.StartNew();
                using var response = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
                return (response.StatusCode, clock.Elapsed);
            }))];
        }
        finally
        {
            world.Proxy.Resume();
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status));
        Assert.True(answers.Max(a => a.Elapsed) < Bound + TimeSpan.FromMilliseconds(500), $"slowest: {answers.Max(a => a.Elapsed)}");
        Assert.True(await RecoversAsync(keys[0]));
    }

    private async Task<HttpResponseMessage> Introspect(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
        {
            Content = new StringContent($"token={token}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(world.Invoices.ClientId, world.Invoices.ClientSecret);
        return await world.Http.SendAsync(request);
    }

    /// <param name="oauth">true: an RFC 6749 error; false: a problem; null: the health answer.</param>
    private static async Task AssertUnavailableWithinBoundAsync(string what, Func<Task<HttpResponseMessage>> send, bool? oauth)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var elapsed = clock.Elapsed;

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode}");
        Assert.True(elapsed < Bound, $"{what} took {elapsed.TotalMilliseconds:F0} ms; the bound is {Bound.TotalMilliseconds:F0} ms (the load timeout, {LoadTimeout.TotalMilliseconds:F0} ms, and the request itself)");
        if (oauth == true)
        {
            Assert.Equal("temporarily_unavailable", (await response.ReadJsonAsync()).GetProperty("error").GetString());
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        }
        else if (oauth == false)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<bool> RecoversAsync(TestKey key)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    public sealed class World() : ProxiedPostgresWorld(new Dictionary<string, string?> { ["Clients:LoadTimeout"] = "00:00:02" });
}

/// <summary>
/// A request pays one permit of its key's token limit however it is served: when the database fails after the
/// permit was taken, the request handed from the fast path to OpenIddict's pipeline does not take a second one.
/// </summary>
public sealed class OnePermitPerRequestTests(OnePermitPerRequestTests.World world) : IClassFixture<OnePermitPerRequestTests.World>
{
    [Fact]
    public async Task A_request_that_fails_on_the_database_after_its_permit_costs_one_permit()
    {
        await world.CreateScopeAsync("permits:read", TestWorld.InvoicesApi);
        var key = await world.CreateKeyAsync(["invoices:read", "permits:read"]);
        using var first = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, "invoices:read"); // permit 1
        await Task.Delay(500); // the change feed has seen the key's creation (which evicts it from the cache) ...
        using var second = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, "invoices:read"); // permit 2: ... now cached for good
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        world.Proxy.Refuse();
        HttpStatusCode failed;
        try
        {
            // The key and its permit come from memory; the new scope's resource servers cannot be read.
            using var response = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, "permits:read"); // permit 3
            failed = response.StatusCode;
        }
        finally
        {
            world.Proxy.Resume();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        using var third = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, "invoices:read"); // permit 4 of 4
        using var fourth = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret, "invoices:read");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
    }

    public sealed class World() : ProxiedPostgresWorld(new Dictionary<string, string?>
    {
        ["Throttling:TokensPerKey"] = "4",
        ["Throttling:TokenWindow"] = "00:10:00",
    });
}
