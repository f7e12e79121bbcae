using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// An in-process AuthServer on its own SQLite file (unless the settings name another database, e.g. to play a
/// second instance or to use PostgreSQL), with the test certificates and short background intervals.
/// Environment "Testing": HTTPS is required, as in production.
/// </summary>
public sealed partial class AuthServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public AuthServerFactory(IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("authserver-db-").FullName, "authserver.db")}",
            ["Signing:CertificatesPath"] = TestCertificates.Folder,
            ["Clients:ChangePollInterval"] = "00:00:00.100",
            ["ApiKeys:UsageFlushInterval"] = "00:00:00.200",
            // Tests send many bad requests from one (in-process) address; the throttling tests set their own limits.
            ["Throttling:FailuresPerClient"] = "0",
            ["Throttling:FailuresPerAddress"] = "0",
            ["Throttling:TokensPerKey"] = "0",
            // Everything AuthServer and OpenIddict log is captured, and checked for secrets when the server stops.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:OpenIddict"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The Database:* settings, for a second instance on the same database.</summary>
    public IDictionary<string, string?> DatabaseSettings =>
        _settings.Where(setting => setting.Key.StartsWith("Database:", StringComparison.Ordinal)).ToDictionary();

    /// <summary>The SQL this server sends to its database.</summary>
    public DatabaseCommandRecorder Sql { get; } = new();

    /// <summary>Failures to inject into this server's SQL commands.</summary>
    public DatabaseFaults Faults { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>The server's clock; the system's until a test moves it forward.</summary>
    public ShiftedClock Clock { get; } = new();

    /// <summary>More test services (e.g. a fake <see cref="TimeProvider"/>), registered after the server's own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public HttpClient CreateHttpsClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
    });

    /// <summary>Stops the server, then fails if any log line it wrote contains something shaped like a secret.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var leaks = Logs.Lines.Where(line => SecretShape().IsMatch(line)).Take(3).ToList();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException("A secret was written to the logs:\n" + string.Join("\n", leaks));
        }
    }

    // Key secrets of either shape (ClientSecret's own pattern for the prefix) and console invitation tokens.
    [GeneratedRegex("(?:" + Secrets.ClientSecret.Prefix + Secrets.ClientSecret.EnvironmentPattern + "|authinv_)[0-9A-Za-z]{40,}")]
    private static partial Regex SecretShape();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IInterceptor>(Sql);
            services.AddSingleton<IInterceptor>(Faults);
            services.AddSingleton<IStartupFilter, TestRemoteAddress>();
            services.AddSingleton<TimeProvider>(Clock);
            TestServices?.Invoke(services);
        });
    }
}
