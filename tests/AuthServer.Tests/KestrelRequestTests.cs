using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Requests that Kestrel itself parses, sent as raw bytes to the real binary (the in-process test server parses differently).</summary>
public sealed class KestrelRequestTests
{
    private const string Body = """{"scopes":["admin:keys:read"]}""";

    [Fact]
    public async Task A_non_ascii_idempotency_key_is_a_problem_naming_the_header_not_an_empty_400()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-kestrel-").FullName;
        var port = AuthServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = Path.Combine(folder, "certs"),
        };
        using var server = AuthServerProcess.Start(environment);
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
        var account = await CliAsync(environment, "accounts", "create", "--name", "Kestrel Corp", "--json");
        var accountId = account.GetProperty("id").GetString()!;
        var admin = await CliAsync(environment, "keys", "create", "--account", accountId, "--scope", "admin:keys", "--json");
        using var http = new HttpClient { BaseAddress = baseAddress };
        var token = await http.GetAccessTokenAsync(admin.GetProperty("key").GetProperty("keyId").GetString()!, admin.GetProperty("secret").GetString()!);

        var response = await SendRawAsync(port, Encoding.ASCII.GetBytes(
            $"POST /admin/v1/accounts/{accountId}/keys HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {Body.Length}\r\nIdempotency-Key: a").Concat(new byte[] { 0xE9 })
            .Concat(Encoding.ASCII.GetBytes($"b\r\nConnection: close\r\n\r\n{Body}")).ToArray());

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", response[response.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    private static async Task<string> SendRawAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private static async Task<JsonElement> CliAsync(IDictionary<string, string> environment, params string[] args)
    {
        var (code, output, error) = await AuthServerProcess.RunAsync(environment, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
