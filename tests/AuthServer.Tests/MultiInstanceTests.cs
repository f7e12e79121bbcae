using System.Diagnostics;
using System.Net;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// Two server instances on one database and one signing key set (here two in-process servers on one SQLite
/// file): what one instance does, the other honours at once, or within the one-second staleness bound.
/// </summary>
public abstract class MultiInstanceTests(TestWorld a) : TwoInstanceTests(a)
{
    [Fact]
    public async Task A_key_created_on_one_instance_works_on_the_other_at_once()
    {
        var warmUp = await A.CreateKeyAsync(["invoices:read"]);
        await HttpB.GetAccessTokenAsync(warmUp.Key.KeyId, warmUp.Secret);

        var key = await A.CreateKeyAsync(["invoices:read"]);

        using var response = await HttpB.RequestTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_on_one_instance_is_refused_by_the_other_within_a_second()
    {
        var key = await A.CreateKeyAsync(["invoices:read"]);
        await HttpB.GetAccessTokenAsync(key.Key.KeyId, key.Secret); // B now has the key cached

        await A.RevokeKeyAsync(key.Key.KeyId);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await HttpB.RequestTokenAsync(key.Key.KeyId, key.Secret);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B still accepted the revoked key after {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("not usable directly")]
    public async Task A_key_presented_directly_is_inactive_on_the_other_instance_within_a_second_of_a_change(string change)
    {
        var key = await A.CreateKeyAsync(["invoices:read"]);
        Assert.True(await DirectlyActiveOnBAsync(key.Secret)); // B now has the key and its hash cached

        if (change == "revoked")
        {
            await A.RevokeKeyAsync(key.Key.KeyId);
        }
        else
        {
            await A.InScope<ApiKeyLifecycle, ApiKeyView>(lifecycle =>
                lifecycle.SetDirectUseAsync(AccountScope.Every, key.Key.KeyId, false, TestWorld.TestActor, CancellationToken.None));
        }

        var clock = Stopwatch.StartNew();
        bool active;
        do
        {
            active = await DirectlyActiveOnBAsync(key.Secret);
        }
        while (active && clock.Elapsed < TimeSpan.FromSeconds(3));

        Assert.False(active);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B still accepted the key after {clock.ElapsedMilliseconds} ms");
    }

    private async Task<bool> DirectlyActiveOnBAsync(string secret)
    {
        using var response = await DirectKeys.SendAsync(HttpB, A.Invoices.ClientId, A.Invoices.ClientSecret, secret, "api_key");
        return (await response.ReadJsonAsync()).GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task Tokens_from_one_instance_validate_with_the_other_instances_jwks_and_introspection()
    {
        var key = await A.CreateKeyAsync(["invoices:read"]);
        var token = await A.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        await HttpB.ValidateWithJwksAsync(token, TestWorld.InvoicesApi);
        var result = await HttpB.IntrospectAsync(A.Invoices.ClientId, A.Invoices.ClientSecret, token);

        Assert.True(result.GetProperty("active").GetBoolean());
    }
}

public sealed class MultiInstanceTestsOnSqlite() : MultiInstanceTests(new TestWorld());

public sealed class MultiInstanceTestsOnPostgreSql() : MultiInstanceTests(new PostgresWorld());
