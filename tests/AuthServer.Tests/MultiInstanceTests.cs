using System.Diagnostics;
using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// Two server instances on one database and one signing key set (here two in-process servers on one SQLite
/// file): what one instance does, the other honours at once, or within the one-second staleness bound.
/// </summary>
public abstract class MultiInstanceTests(TestWorld a) : IAsyncLifetime
{
    private readonly TestWorld _a = a;
    private AuthServerFactory _b = null!;
    private HttpClient _httpB = null!;

    public async Task InitializeAsync()
    {
        await _a.InitializeAsync();
        _b = new AuthServerFactory(_a.Factory.DatabaseSettings);
        _httpB = _b.CreateHttpsClient();
    }

    public async Task DisposeAsync()
    {
        _httpB.Dispose();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task A_key_created_on_one_instance_works_on_the_other_at_once()
    {
        var warmUp = await _a.CreateKeyAsync(["invoices:read"]);
        await _httpB.GetAccessTokenAsync(warmUp.Key.KeyId, warmUp.Secret);

        var key = await _a.CreateKeyAsync(["invoices:read"]);

        using var response = await _httpB.RequestTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_on_one_instance_is_refused_by_the_other_within_a_second()
    {
        var key = await _a.CreateKeyAsync(["invoices:read"]);
        await _httpB.GetAccessTokenAsync(key.Key.KeyId, key.Secret); // B now has the key cached

        await _a.RevokeKeyAsync(key.Key.KeyId);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await _httpB.RequestTokenAsync(key.Key.KeyId, key.Secret);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B still accepted the revoked key after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Tokens_from_one_instance_validate_with_the_other_instances_jwks_and_introspection()
    {
        var key = await _a.CreateKeyAsync(["invoices:read"]);
        var token = await _a.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        await _httpB.ValidateWithJwksAsync(token, TestWorld.InvoicesApi);
        var result = await _httpB.IntrospectAsync(_a.Invoices.ClientId, _a.Invoices.ClientSecret, token);

        Assert.True(result.GetProperty("active").GetBoolean());
    }
}

public sealed class MultiInstanceTestsOnSqlite() : MultiInstanceTests(new TestWorld());

public sealed class MultiInstanceTestsOnPostgreSql() : MultiInstanceTests(new PostgresWorld());
