using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Resources;
using AuthServer.Scopes;
using AuthServer.Signing;
using AuthServer.Tests.Infrastructure;

namespace SampleApi.Tests.Infrastructure;

/// <summary>
/// A real AuthServer listening on a loopback port (Kestrel, in process), as resource servers meet it: account
/// Acme, resource servers invoices-api and reports-api with introspection credentials, scopes invoices:read,
/// invoices:write and reports:read. Environment Development, which accepts plain HTTP from loopback only, so the
/// resource server's backchannel needs no test certificate. It can be restarted on the same port, database and
/// certificate folder, as an operator does to roll a new signing key in.
/// </summary>
public sealed class LoopbackAuthServer : IAsyncLifetime
{
    public const string InvoicesApi = Provisioning.InvoicesApi;
    public const string ReportsApi = Provisioning.ReportsApi;

    private readonly string _algorithm;
    private AuthServerFactory _factory = null!;
    private IDictionary<string, string?>? _database;

    public LoopbackAuthServer(string algorithm = SigningAlgorithms.RS256)
    {
        _algorithm = algorithm;
        Port = FreeLoopbackPort();
        CertificateFolder = Directory.CreateTempSubdirectory("sampleapi-certs-").FullName;
        SigningCertificate = AddCertificate(DateTimeOffset.UtcNow.AddHours(-1));
        Http = new HttpClient { BaseAddress = Issuer };
    }

    public int Port { get; }

    /// <summary>The issuer (<c>iss</c>) and base address, fixed so that it survives restarts.</summary>
    public Uri Issuer => new($"http://127.0.0.1:{Port}/");

    public string CertificateFolder { get; }

    /// <summary>The certificate that signs until another one is added; its private key lets tests forge tokens.</summary>
    public X509Certificate2 SigningCertificate { get; }

    public HttpClient Http { get; }

    /// <summary>When the running instance had started, and so had read the certificate folder.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public AccountView Acme { get; private set; } = null!;

    public IssuedResourceCredentials Invoices { get; private set; } = null!;

    public IssuedResourceCredentials Reports { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Start();
        (Acme, Invoices, Reports) = await Provision.SeedStandardAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>Saves a new signing certificate into the folder; the server reads the folder when it starts.</summary>
    public X509Certificate2 AddCertificate(DateTimeOffset notBefore)
    {
        var certificate = SigningCertificateGenerator.Create(_algorithm, notBefore, notBefore.AddYears(1));
        SigningCertificateGenerator.Save(certificate, _algorithm, CertificateFolder, password: null);
        return certificate;
    }

    /// <summary>Stops this instance and starts a new one on the same port, database and certificate folder.</summary>
    public async Task RestartAsync()
    {
        await _factory.DisposeAsync();
        Start();
        using var ready = await Http.GetAsync(new Uri("health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    /// <summary>Provisioning through the running instance's services (a new one after each restart).</summary>
    public Provisioning Provision => new(_factory.Services);

    public Task<TestKey> CreateKeyAsync(string[] scopes, DateTime? expiresAt = null, KeyEnvironment? environment = null) =>
        Provision.CreateKeyAsync(Acme.Id, scopes, expiresAt, environment: environment);

    /// <summary>A new key of <paramref name="environment"/> with <paramref name="scopes"/> and an access token from the token endpoint.</summary>
    public async Task<string> TokenOfAsync(KeyEnvironment environment, params string[] scopes)
    {
        var key = await CreateKeyAsync(scopes, environment: environment);
        return await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
    }

    public Task<ApiKeyView> RevokeKeyAsync(string keyId) => Provision.RevokeKeyAsync(keyId);

    /// <summary>A new key with <paramref name="scopes"/> and an access token from the token endpoint.</summary>
    public async Task<string> TokenAsync(params string[] scopes)
    {
        var key = await CreateKeyAsync(scopes);
        return await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
    }

    /// <summary>A second instance on the same database, certificates and issuer (in process, no port), as in a pool behind a load balancer.</summary>
    public AuthServerFactory AnotherInstance() => new(Settings(), environment: "Development");

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signing:CertificatesPath"] = CertificateFolder,
            ["Signing:Algorithm"] = _algorithm,
            ["Tokens:Issuer"] = Issuer.AbsoluteUri,
            ["Events:HeartbeatInterval"] = "00:00:00.5", // a lost revocation stream shows within 1.5 s
        };
        foreach (var (name, value) in _database ?? new Dictionary<string, string?>())
        {
            settings[name] = value; // a restart keeps the database
        }

        return settings;
    }

    private void Start()
    {
        _factory = new AuthServerFactory(Settings(), environment: "Development");
        _database = _factory.DatabaseSettings;
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        _factory.StartServer();
        StartedAt = DateTimeOffset.UtcNow;
    }

    public Task<ScopeView> CreateScopeAsync(string name, string resource) => Provision.CreateScopeAsync(name, resource);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
