using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>The binary as a user runs it: one command serves, the same binary is the CLI.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task In_development_the_server_makes_its_database_and_certificate_serves_http_on_loopback_and_the_cli_shares_them()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        var port = AuthServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "data", "authserver.db")}",
            ["Signing__CertificatesPath"] = Path.Combine(folder, "certs"),
            ["Clients__ChangePollInterval"] = "00:00:00.100",
        };
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        using var server = AuthServerProcess.Start(environment);
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));

        Assert.Single(Directory.GetFiles(Path.Combine(folder, "certs"), "*.pfx"));
        Assert.True(File.Exists(Path.Combine(folder, "data", "authserver.db")));
        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", server.Output);

        var account = await Cli(environment, "accounts", "create", "--name", "Process Corp", "--json");
        await Cli(environment, "resources", "create", "proc-api");
        await Cli(environment, "scopes", "create", "proc:read", "--resource", "proc-api");
        var key = await Cli(environment, "keys", "create", "--account", account.GetProperty("id").GetString()!, "--scope", "proc:read", "--json");

        using var http = new HttpClient { BaseAddress = baseAddress };
        var token = await http.GetAccessTokenAsync(key.GetProperty("key").GetProperty("keyId").GetString()!, key.GetProperty("secret").GetString()!);
        await http.ValidateWithJwksAsync(token, "proc-api");
        Assert.DoesNotContain(key.GetProperty("secret").GetString()!, server.Output + server.Error);

        var healthy = await AuthServerProcess.RunAsync(environment, "health", $"{baseAddress}health/ready");
        Assert.Equal(0, healthy.Code);
        var unreachable = await AuthServerProcess.RunAsync(environment, "health", "http://127.0.0.1:1/health/ready");
        Assert.Equal(1, unreachable.Code);
        Assert.StartsWith("error: http://127.0.0.1:1/health/ready did not answer", unreachable.Err);

        var bad = await AuthServerProcess.RunAsync(environment, "keys", "create", "--scope", "proc:read");
        Assert.Equal(2, bad.Code);
        Assert.Equal("error: Option '--account' is required. (see --help)", bad.Err.Trim());
    }

    [Fact]
    public async Task Outside_development_without_a_certificate_the_server_exits_with_one_clear_line()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;

        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = Path.Combine(folder, "certs"),
        });

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = server.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("AuthServer cannot start: No valid RS256 signing certificate in", lines[0]);
    }

    [Fact]
    public async Task Outside_development_plain_http_only_refuses_to_start_unless_a_trusted_proxy_terminates_tls()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        var port = AuthServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
        };

        using (var refused = AuthServerProcess.Start(environment))
        {
            Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("needs HTTPS", refused.Error);
        }

        // Behind a TLS-terminating proxy on loopback: the proxy's X-Forwarded-Proto makes requests HTTPS.
        environment["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        using var server = AuthServerProcess.Start(environment);
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
        await Cli(environment, "resources", "create", "proxied-api");
        await Cli(environment, "scopes", "create", "proxied:read", "--resource", "proxied-api");
        var account = await Cli(environment, "accounts", "create", "--name", "Proxied", "--json");
        var key = await Cli(environment, "keys", "create", "--account", account.GetProperty("id").GetString()!, "--scope", "proxied:read", "--json");

        using var http = new HttpClient { BaseAddress = baseAddress };
        using var direct = await http.RequestTokenAsync(key.GetProperty("key").GetProperty("keyId").GetString()!, key.GetProperty("secret").GetString()!);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using var proxied = await http.RequestTokenAsync(key.GetProperty("key").GetProperty("keyId").GetString()!, key.GetProperty("secret").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode); // plain HTTP straight to the server: refused
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    [Theory]
    [InlineData("Tokens__AccessTokenLifetime", "00:00:00", "Tokens:AccessTokenLifetime must be positive.")]
    [InlineData("Tokens__Issuer", "auth.example.com", "Tokens:Issuer must be an absolute URI, e.g. https://auth.example.com/.")]
    [InlineData("ApiKeys__DefaultKeyLimit", "-1", "ApiKeys:DefaultKeyLimit cannot be negative.")]
    [InlineData("Throttling__TokenWindow", "00:00:00", "Throttling windows must be positive.")]
    [InlineData("Browser__AccessTokenLifetime", "02:00:00", "Browser:AccessTokenLifetime must be between 00:00:30 and 01:00:00.")]
    [InlineData("Events__PollInterval", "00:01:00", "Events:PollInterval must be more than 0 and at most 00:00:10 (resource servers learn of a revocation within it, plus their own delay).")]
    [InlineData("LeakReports__VerificationKeys__github", "not a key", "LeakReports:VerificationKeys:github is not a PEM-encoded ECDSA P-256 public key.")]
    [InlineData("Webhooks__AllowedPrivateNetworks__0", "10.0.0.0/33", "Webhooks:AllowedPrivateNetworks: '10.0.0.0/33' is not a network in CIDR notation (e.g. 10.0.0.0/8, fd00::/8).")]
    [InlineData("Webhooks__RetrySchedule__0", "2.00:00:00", "Webhooks:RetrySchedule is at most 20 waits, each more than 0 and at most 1.00:00:00.")]
    [InlineData("Limits__Redis", "redis.internal:6379,password=hunter2-xyz,nonsense=1", "Limits:Redis is not a StackExchange.Redis configuration string (e.g. redis.internal:6379,password=…).")]
    [InlineData("Limits__RedisTimeout", "00:00:30", "Limits:RedisTimeout must be more than 0 and at most 00:00:10.")]
    [InlineData("Limits__RedisTimeout", "abc", "Limits:RedisTimeout must be a duration such as 00:00:05; the value given is not one.")]
    [InlineData("Throttling__TokensPerKey", "-5", "Throttling:FailuresPerClient, FailuresPerAddress and TokensPerKey must be 0 (no limit) or more.")]
    [InlineData("Webhooks__BatchSize", "fifty", "Webhooks:BatchSize must be a whole number; the value given is not one.")]
    [InlineData("ForwardedHeaders__KnownProxies__0", "proxy.example", "ForwardedHeaders:KnownProxies has 'proxy.example', which is not an IP address.")]
    public async Task An_invalid_setting_stops_the_server_with_one_line_naming_it(string setting, string value, string message)
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;

        using var server = AuthServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "authserver.db")}",
            ["Signing__CertificatesPath"] = TestCertificates.Folder,
            [setting] = value,
        });

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal($"AuthServer cannot start: {message}", Assert.Single(server.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
    }

    [Fact]
    public async Task Started_from_a_folder_without_appsettings_the_frameworks_log_warnings_only()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-process-").FullName;
        var port = AuthServerProcess.FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        using var server = AuthServerProcess.StartIn(folder, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
        });
        await server.WaitUntilReadyAsync(baseAddress, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var discovery = await http.GetAsync("/.well-known/openid-configuration");
        using var token = await http.RequestTokenAsync("ak_unknown", "wrong");
        server.Kill();

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", server.Output); // logging is on
        Assert.DoesNotContain("info: OpenIddict", server.Output);
        Assert.DoesNotContain("info: Microsoft.AspNetCore", server.Output);
        Assert.DoesNotContain("info: Microsoft.EntityFrameworkCore", server.Output);
        Assert.DoesNotContain("fail:", server.Output); // a new database: nothing reads a table before the migrations made it
    }

    private static async Task<JsonElement> Cli(IDictionary<string, string> environment, params string[] args)
    {
        var (code, output, error) = await AuthServerProcess.RunAsync(environment, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {error}");
        return args.Contains("--json") ? JsonDocument.Parse(output).RootElement.Clone() : default;
    }
}
