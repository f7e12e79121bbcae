using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// The outbox under crashes, with the binary as operators run it: an event committed while no server runs is
/// delivered when one starts, and a delivery cut off by SIGKILL is delivered again after restart (at least once,
/// with the same webhook-id).
/// </summary>
public sealed class WebhookCrashTests
{
    [Fact]
    public async Task A_revocation_made_while_the_server_is_down_and_a_delivery_cut_by_sigkill_are_both_delivered_after_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var folder = Directory.CreateTempSubdirectory("authserver-webhook-crash-").FullName;
        var port = AuthServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Webhooks__AllowHttp"] = "true",
            ["Webhooks__AllowedPrivateNetworks__0"] = "127.0.0.0/8",
            ["Webhooks__PollInterval"] = "00:00:00.100",
            ["Webhooks__AttemptTimeout"] = "00:00:01",
            ["Webhooks__BatchSize"] = "1",
            ["Webhooks__MaxParallel"] = "1",
        };
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var server = AuthServerProcess.Start(environment);
        try
        {
            await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = baseAddress };
            var bootstrap = await Cli(environment, "bootstrap", "--json");
            var operatorToken = await http.GetAccessTokenAsync(bootstrap.GetProperty("key").GetProperty("keyId").GetString()!, bootstrap.GetProperty("secret").GetString()!);
            var account = (await Cli(environment, "accounts", "create", "--name", "Crash Corp", "--json")).GetProperty("id").GetString()!;
            await Cli(environment, "resources", "create", "crash-api");
            await Cli(environment, "scopes", "create", "crash:read", "--resource", "crash-api");
            var first = await KeyAsync(environment, account);
            var second = await KeyAsync(environment, account);
            using (var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/v1/accounts/{account}/webhooks")
            {
                Content = JsonContent(new { url = receiver.Url, eventTypes = new[] { "key.revoked" } }),
            })
            {
                request.Headers.Authorization = new("Bearer", operatorToken);
                using var registered = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            }

            server.Kill();
            await Cli(environment, "keys", "revoke", first, "--json"); // committed while no server runs
            Assert.Empty(receiver.Received);

            server.Dispose();
            server = AuthServerProcess.Start(environment);
            await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
            var delivered = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1, seconds: 20));
            Assert.Equal(first, delivered.Json.GetProperty("data").GetProperty("keyId").GetString());

            receiver.Hold = true; // the next delivery is received, and the server dies before it hears the answer
            await Cli(environment, "keys", "revoke", second, "--json");
            await receiver.WaitForAsync(r => r.Count >= 2, seconds: 20);
            server.Kill();
            receiver.Hold = false;

            server.Dispose();
            server = AuthServerProcess.Start(environment);
            await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
            var received = await receiver.WaitForAsync(r => r.Count >= 3, seconds: 30);
            Assert.Equal(received[1].Id, received[2].Id); // the same event again, for the receiver to deduplicate
            Assert.Equal(second, received[2].Json.GetProperty("data").GetProperty("keyId").GetString());
        }
        finally
        {
            server.Dispose();
        }
    }

    private static async Task<string> KeyAsync(IDictionary<string, string> environment, string account) =>
        (await Cli(environment, "keys", "create", "--account", account, "--scope", "crash:read", "--json")).GetProperty("key").GetProperty("keyId").GetString()!;

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Cli(IDictionary<string, string> environment, params string[] args)
    {
        var (code, output, error) = await AuthServerProcess.RunAsync(environment, args);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
        return args.Contains("--json") ? JsonDocument.Parse(output).RootElement.Clone() : default;
    }
}
