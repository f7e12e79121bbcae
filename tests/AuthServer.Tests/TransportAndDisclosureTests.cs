using System.Diagnostics;
using System.Net;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public sealed class TransportAndDisclosureTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Fact]
    public async Task Unknown_key_ids_and_wrong_secrets_answer_the_same_in_about_the_same_time()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        const string unknown = "ak_0000000000000001";
        string? unknownBody = null;
        string? wrongBody = null;
        var unknownTimes = new List<double>();
        var wrongTimes = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var (status1, body1, time1) = await TimedAsync(unknown, ClientSecret.Generate());
            var (status2, body2, time2) = await TimedAsync(key.Key.KeyId, ClientSecret.Generate());
            Assert.Equal(HttpStatusCode.Unauthorized, status1);
            Assert.Equal(HttpStatusCode.Unauthorized, status2);
            (unknownBody, wrongBody) = (body1, body2);
            if (i >= 20) // the first requests warm caches and JIT for both
            {
                unknownTimes.Add(time1);
                wrongTimes.Add(time2);
            }
        }

        Assert.Equal(wrongBody, unknownBody);
        var (a, b) = (Median(unknownTimes), Median(wrongTimes));
        Assert.True(Math.Abs(a - b) < Math.Max(0.5, 0.5 * Math.Max(a, b)),
            $"median unknown key {a:0.000} ms vs wrong secret {b:0.000} ms");
    }

    [Fact]
    public async Task Https_responses_carry_hsts_and_admin_responses_the_security_headers()
    {
        using var discovery = await world.Http.GetAsync("/.well-known/openid-configuration");
        using var admin = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/keys", world.ViewerToken);

        Assert.Contains("max-age=31536000", discovery.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("no-store", admin.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", admin.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", admin.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", admin.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/admin/v1/scopes")]
    [InlineData("/openapi/admin.json")]
    public async Task Outside_development_plain_http_is_refused_with_a_problem(string path)
    {
        using var http = world.Factory.CreateClient(); // http://localhost
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", world.ViewerToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("HTTPS required", (await response.ReadProblemAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_sender_are_ignored()
    {
        using var http = world.Factory.CreateClient(); // plain http://localhost, no proxy configured
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/scopes");
        request.Headers.Authorization = new("Bearer", world.ViewerToken);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var admin = await http.SendAsync(request);
        using var token = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = key.Key.KeyId, ["client_secret"] = key.Secret,
            }),
            Headers = { { "X-Forwarded-Proto", "https" } },
        });

        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }

    [Fact]
    public async Task The_admin_api_never_returns_a_secret_after_creation()
    {
        var created = await (await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/keys", world.AdministratorToken,
            new { scopes = new[] { "invoices:read" } })).ReadJsonAsync();
        var secret = created.GetProperty("secret").GetString()!;
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;

        var everything = string.Concat(await Task.WhenAll(new[]
        {
            $"/admin/v1/accounts/{world.Acme.Id}/keys?take=200",
            $"/admin/v1/accounts/{world.Acme.Id}/keys/{keyId}",
            $"/admin/v1/accounts/{world.Acme.Id}/audit?take=200",
            "/admin/v1/audit?take=200",
            "/admin/v1/accounts",
        }.Select(async path => await (await world.AdminAsync(HttpMethod.Get, path, world.OperatorToken)).Content.ReadAsStringAsync())));

        Assert.DoesNotContain(secret["authsk_".Length..], everything);
    }

    private async Task<(HttpStatusCode Status, string Body, double Milliseconds)> TimedAsync(string clientId, string secret)
    {
        var clock = Stopwatch.StartNew();
        using var response = await world.Http.RequestTokenAsync(clientId, secret);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, clock.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
