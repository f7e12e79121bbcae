using System.Net;
using System.Text.Json;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using AuthServer.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

/// <summary>
/// With the default settings, no webhook reaches loopback, private, link-local or reserved addresses: neither at
/// registration nor at delivery, when a name may resolve elsewhere than it did (DNS rebinding).
/// </summary>
public sealed class WebhookAddressTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.16.0.1/hooks")]
    [InlineData("https://192.168.1.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[::]/hooks")]
    [InlineData("https://[::7f00:1]/hooks")] // IPv4-compatible 127.0.0.1
    [InlineData("https://[::ffff:0:a00:1]/hooks")] // SIIT-translated 10.0.0.1
    [InlineData("https://[64:ff9b::a9fe:a9fe]/hooks")] // NAT64 169.254.169.254
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks")] // Teredo
    [InlineData("https://[2002:7f00:1::1]/hooks")] // 6to4 127.0.0.1
    [InlineData("https://[100::1]/hooks")] // discard-only
    [InlineData("https://[2001:db8::1]/hooks")] // documentation
    [InlineData("https://[fec0::1]/hooks")] // site-local
    [InlineData("https://192.0.2.10/hooks")] // documentation
    [InlineData("https://2130706433/hooks")] // 127.0.0.1 written as one number
    [InlineData("http://93.184.216.34/hooks")] // plain HTTP
    public async Task An_endpoint_on_an_internal_address_or_plain_http_is_refused_with_a_400_problem(string url)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.AdministratorToken,
            new { url, eventTypes = new[] { "key.revoked" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.ToString());
        Assert.Equal(0, await world.InScope<AuthDbContext, int>(db => db.Set<WebhookEndpoint>().CountAsync(e => e.Url.Contains("hooks") || e.Url.Contains("meta-data"))));
    }

    [Fact]
    public async Task A_delivery_to_an_address_that_became_internal_is_refused_at_connection_and_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // As if the endpoint's name had resolved to a public address at registration and to loopback now.
        var endpointId = await world.InScope<IServiceProvider, string>(async services =>
        {
            var db = services.GetRequiredService<AuthDbContext>();
            var endpoint = new WebhookEndpoint
            {
                Id = WebhookEndpoint.NewId(),
                AccountId = world.Acme.Id,
                Url = receiver.Url,
                EventTypes = "key.revoked",
                ProtectedSecret = services.GetRequiredService<WebhookSecretProtector>().Protect(WebhookSignature.NewSecret()),
                CreatedAt = DateTime.UtcNow,
            };
            db.Add(endpoint);
            await db.SaveChangesAsync();
            return endpoint.Id;
        });
        var key = await world.CreateKeyAsync(["invoices:read"]);

        await world.RevokeKeyAsync(key.Key.KeyId);

        for (var waited = 0; ; waited += 100)
        {
            using var response = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/webhooks/{endpointId}/deliveries", world.ViewerToken);
            var attempts = (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().SelectMany(d => d.GetProperty("attemptLog").EnumerateArray()).ToList();
            if (attempts.Count > 0)
            {
                Assert.StartsWith("refused: 127.0.0.1 is a loopback, private, link-local or reserved address", attempts[0].GetProperty("error").GetString());
                Assert.Equal(JsonValueKind.Null, attempts[0].GetProperty("statusCode").ValueKind);
                break;
            }

            Assert.True(waited < 15_000, "No attempt was logged.");
            await Task.Delay(100);
        }

        Assert.Empty(receiver.Received);
    }
}
