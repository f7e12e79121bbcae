using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary><c>LeakReports:Action=Flag</c> records the leak and leaves the key working.</summary>
public sealed class LeakReportFlagTests(LeakReportFlagTests.World world) : IClassFixture<LeakReportFlagTests.World>
{
    public sealed class World() : AdminWorld(new Dictionary<string, string?>
    {
        ["LeakReports:VerificationKeys:scanner"] = Scanner.ExportSubjectPublicKeyInfoPem(),
        ["LeakReports:Action"] = "Flag",
    })
    {
        public static ECDsa Scanner { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    [Fact]
    public async Task A_flagged_leak_is_a_true_positive_an_event_and_an_audit_entry_and_the_key_keeps_working()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { new { token = key.Secret, type = "authserver_secret", url = "https://github.com/acme/app/blob/main/.env", source = "content" } }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/secret-scanning/github") { Content = new ByteArrayContent(body) };
        request.Headers.Add("Github-Public-Key-Identifier", "scanner");
        request.Headers.Add("Github-Public-Key-Signature", Convert.ToBase64String(World.Scanner.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));

        using var response = await world.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true_positive", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("label").GetString());
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        using var events = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events", world.OperatorToken);
        var leak = (await events.ReadJsonAsync()).GetProperty("items").EnumerateArray().First(e => e.GetProperty("keyId").GetString() == key.Key.KeyId);
        Assert.Equal("key.leak_reported", leak.GetProperty("type").GetString());
        Assert.Equal("flag", leak.GetProperty("details").GetProperty("action").GetString());
        Assert.Equal("https://github.com/acme/app/blob/main/.env", leak.GetProperty("details").GetProperty("url").GetString());
    }
}

/// <summary>Without a scanner's keys configured, there is no leak-report endpoint to attack.</summary>
public sealed class LeakReportEndpointAbsentTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task Without_verification_keys_the_endpoint_does_not_exist()
    {
        using var response = await world.Http.PostAsync("/secret-scanning/github", new StringContent("[]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
