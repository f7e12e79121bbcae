using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// One AuthServer process on a loopback port (Development: plain HTTP from loopback), on a database and signing
/// folder it may share with other instances, with the issuer they all share.
/// </summary>
public sealed class ServerInstance : IDisposable
{
    public const string SharedIssuer = "http://authserver.test/";

    private ServerInstance(AuthServerProcess process, Uri baseAddress, IDictionary<string, string> environment)
    {
        Process = process;
        BaseAddress = baseAddress;
        Environment = environment;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public AuthServerProcess Process { get; }

    public Uri BaseAddress { get; }

    public IDictionary<string, string> Environment { get; }

    public HttpClient Http { get; }

    public static IDictionary<string, string> EnvironmentFor(string connectionString, int port) => new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["Database__Provider"] = "PostgreSql",
        ["Database__ConnectionString"] = connectionString,
        ["Signing__CertificatesPath"] = TestCertificates.Folder,
        ["Tokens__Issuer"] = SharedIssuer,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static async Task<ServerInstance> StartAsync(string connectionString, int? port = null)
    {
        var environment = EnvironmentFor(connectionString, port ?? AuthServerProcess.FreeLoopbackPort());
        var baseAddress = new Uri(environment["ASPNETCORE_URLS"]);
        var process = AuthServerProcess.Start(environment);
        await process.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(90));
        return new ServerInstance(process, baseAddress, environment);
    }

    /// <summary>Runs <c>AuthServer bootstrap</c> against the database and returns an operator token from this instance.</summary>
    public async Task<string> BootstrapOperatorTokenAsync()
    {
        var (code, output, error) = await AuthServerProcess.RunAsync(Environment, "bootstrap", "--json");
        Assert.True(code == 0, error);
        var created = JsonDocument.Parse(output).RootElement;
        return await Http.GetAccessTokenAsync(created.GetProperty("key").GetProperty("keyId").GetString()!, created.GetProperty("secret").GetString()!);
    }

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }
}
