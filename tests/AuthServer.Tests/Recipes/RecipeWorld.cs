using System.Net;
using AuthServer.Accounts;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Recipes;

/// <summary>
/// A real AuthServer on a loopback port (Development: plain HTTP from loopback), that answers each key only one
/// token request in ten minutes (Throttling:TokensPerKey = 1), so that a recipe asking twice fails.
/// </summary>
public sealed class RecipeWorld : IAsyncLifetime
{
    public const string Scope = "invoices:read";

    private readonly AuthServerFactory _factory;

    public RecipeWorld()
    {
        var port = AuthServerProcess.FreeLoopbackPort();
        Issuer = new Uri($"http://127.0.0.1:{port}/");
        _factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Tokens:Issuer"] = Issuer.AbsoluteUri,
            ["Throttling:TokensPerKey"] = "1",
            ["Throttling:TokenWindow"] = "00:10:00",
        }, environment: "Development");
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public Uri Issuer { get; }

    public AccountView Acme { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _factory.StartServer();
        (Acme, _, _) = await new Provisioning(_factory.Services).SeedStandardAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
    }

    /// <summary>A key of its own per test: the token limit is per key.</summary>
    public Task<TestKey> CreateKeyAsync() => new Provisioning(_factory.Services).CreateKeyAsync(Acme.Id, [Scope], expiresAt: null);

    /// <summary>What a recipe run with <paramref name="key"/> reads from its environment.</summary>
    public Dictionary<string, string> Environment(TestKey key, RecordingApi api) => new()
    {
        ["AUTHSERVER_URL"] = Issuer.AbsoluteUri,
        ["AUTHSERVER_KEY_ID"] = key.Key.KeyId,
        ["AUTHSERVER_KEY_SECRET"] = key.Secret,
        ["AUTHSERVER_SCOPE"] = Scope,
        ["API_URL"] = api.Url.AbsoluteUri,
    };
}
