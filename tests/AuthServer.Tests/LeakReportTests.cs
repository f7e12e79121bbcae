using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// <c>POST /secret-scanning/github</c>, as GitHub's secret-scanning partner program calls it: a signed list of found
/// secrets; live keys among them are revoked (or flagged) with a <c>key.leak_reported</c> event, and the answer says
/// which were true positives. Bad signatures, replays, malformed and oversized reports and floods change nothing.
/// </summary>
public sealed class LeakReportTests(LeakReportTests.World world) : IClassFixture<LeakReportTests.World>
{
    private const string KeyIdentifier = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";

    public sealed class World : AdminWorld
    {
        public World() : base(new Dictionary<string, string?>
        {
            [$"LeakReports:VerificationKeys:{KeyIdentifier}"] = Scanner.ExportSubjectPublicKeyInfoPem(),
            ["LeakReports:ReportsPerMinute"] = "20",
        })
        {
        }

        public static ECDsa Scanner { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    private Task<HttpResponseMessage> ReportAsync(string body, ECDsa? signer = null, string keyIdentifier = KeyIdentifier, string? address = null) =>
        SendAsync(Encoding.UTF8.GetBytes(body), signer ?? World.Scanner, keyIdentifier, address);

    private async Task<HttpResponseMessage> SendAsync(byte[] body, ECDsa signer, string keyIdentifier, string? address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/secret-scanning/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Github-Public-Key-Identifier", keyIdentifier);
        request.Headers.Add("Github-Public-Key-Signature", Convert.ToBase64String(signer.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        request.Headers.Add(TestRemoteAddress.Header, address ?? "192.0.2.1");
        return await world.Http.SendAsync(request);
    }

    private static string Found(params string[] tokens) => JsonSerializer.Serialize(
        tokens.Select(token => new { token, type = "authserver_secret", url = $"https://github.com/acme/app/blob/main/{Guid.NewGuid():N}.env", source = "content" }));

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<List<string>> EventTypesAsync(string keyId)
    {
        using var response = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events?take=200", world.OperatorToken);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Reverse()
            .Where(e => e.GetProperty("keyId").GetString() == keyId).Select(e => e.GetProperty("type").GetString()!)];
    }

    [Fact]
    public async Task A_live_keys_leaked_secret_is_revoked_at_once_with_an_event_and_only_it_is_a_true_positive()
    {
        var leaked = await world.CreateKeyAsync(["invoices:read"]);
        var revoked = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(revoked.Key.KeyId);
        var untouched = await world.CreateKeyAsync(["invoices:read"]);
        var wrongChecksum = leaked.Secret[..^1] + (leaked.Secret[^1] == 'a' ? 'b' : 'a');

        using var response = await ReportAsync(Found(leaked.Secret, revoked.Secret, wrongChecksum, "ghp_not_ours"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var labels = JsonDocument.Parse(body).RootElement.EnumerateArray()
            .ToDictionary(v => v.GetProperty("token_hash").GetString()!, v => v.GetProperty("label").GetString());
        Assert.Equal("true_positive", labels[Sha256(leaked.Secret)]);
        Assert.Equal("false_positive", labels[Sha256(revoked.Secret)]);
        Assert.Equal("false_positive", labels[Sha256(wrongChecksum)]);
        Assert.Equal("false_positive", labels[Sha256("ghp_not_ours")]);
        Assert.DoesNotContain(leaked.Secret, body); // secrets are named by their hash, never echoed
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(leaked.Key.KeyId, leaked.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(untouched.Key.KeyId, untouched.Secret)).StatusCode);
        Assert.Equal(["key.created", "key.leak_reported", "key.revoked"], await EventTypesAsync(leaked.Key.KeyId));
    }

    [Fact]
    public async Task A_leaked_signing_secret_is_withdrawn_and_the_key_and_its_publishable_key_keep_working()
    {
        const string App = "https://app.example.com";
        var browser = await world.Provision.CreateBrowserModeKeyAsync(world.Acme.Id, ["invoices:read"], App);
        var identityToken = Browsers.IdentityToken(browser.SigningSecret, "https://localhost/");
        using (var before = await world.Http.ExchangeIdentityTokenAsync(browser.PublishableKey, App, identityToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var response = await ReportAsync(Found(browser.SigningSecret), address: "192.0.2.6");

        Assert.Equal("true_positive", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("label").GetString());
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the change feed's bound, for the cached publishable key
        using (var after = await world.Http.ExchangeIdentityTokenAsync(browser.PublishableKey, App, identityToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
            Assert.Equal("invalid_grant", (await after.ReadJsonAsync()).GetProperty("error").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestBrowserTokenAsync(browser.PublishableKey, App)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(browser.Key.Key.KeyId, browser.Key.Secret)).StatusCode);
        Assert.Equal(["key.created", "key.publishable_key_created", "key.signing_secret_generated", "key.leak_reported", "key.signing_secret_withdrawn"],
            await EventTypesAsync(browser.Key.Key.KeyId));
    }

    [Fact]
    public async Task Bad_signatures_change_nothing()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var foreign = await ReportAsync(Found(key.Secret), signer: stranger);
        using var unknownKey = await ReportAsync(Found(key.Secret), keyIdentifier: "unknown");
        using var unsigned = await world.Http.PostAsync("/secret-scanning/github", new StringContent(Found(key.Secret), Encoding.UTF8, "application/json"));

        foreach (var response in new[] { foreign, unknownKey, unsigned })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(key.Secret, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(["key.created"], await EventTypesAsync(key.Key.KeyId));
    }

    [Fact]
    public async Task The_same_report_sent_again_is_refused_as_a_replay_and_acts_once()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var body = Encoding.UTF8.GetBytes(Found(key.Secret));

        using var first = await SendAsync(body, World.Scanner, KeyIdentifier, "192.0.2.2");
        using var again = await SendAsync(body, World.Scanner, KeyIdentifier, "192.0.2.2"); // a fresh signature of the same report

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["key.created", "key.leak_reported", "key.revoked"], await EventTypesAsync(key.Key.KeyId));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"token\": \"x\"}")]
    [InlineData("[{\"type\": \"authserver_secret\"}]")]
    [InlineData("[{\"token\": 42}]")]
    [InlineData("[null]")]
    public async Task A_signed_body_that_is_not_a_list_of_found_secrets_is_a_400_problem(string body)
    {
        using var response = await ReportAsync(body, address: "192.0.2.3");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_oversized_report_is_refused_before_anything_is_read_into_it()
    {
        using var large = await SendAsync(new byte[1024 * 1024 + 1], World.Scanner, KeyIdentifier, "192.0.2.4");
        using var many = await ReportAsync(Found([.. Enumerable.Range(0, 1001).Select(i => $"authsk_{i}")]), address: "192.0.2.4");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Equal("application/problem+json", many.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_flood_from_one_address_gets_429_and_does_not_stop_reports_from_elsewhere()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            using var response = await ReportAsync(Found($"authsk_flood_{i}"), address: "198.51.100.7");
            statuses.Add(response.StatusCode);
        }

        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var elsewhere = await ReportAsync(Found(key.Secret), address: "192.0.2.5");

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }
}
