using System.Net;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>A key's limits at the console: an administrator sets them from the keys list; bad input is explained and changes nothing.</summary>
public sealed class ConsoleKeyLimitsTests(TestWorld world) : IClassFixture<TestWorld>
{
    private static string NewEmail() => $"l{Guid.NewGuid():N}"[..12] + "@example.com";

    [Fact]
    public async Task An_administrator_sets_a_keys_limits_which_then_hold_at_the_token_endpoint_and_a_bad_block_is_explained()
    {
        var account = await world.CreateAccountAsync($"Limits {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "limited");
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        var keys = $"/console/accounts/{account.Id}/keys";
        var page = $"{keys}/{key.Key.KeyId}/limits";
        Assert.Contains(page, await admin.PageAsync(keys));

        using var saved = await admin.SubmitAsync(page, page, new() { ["TokensPerMinute"] = "30", ["AllowedAddresses"] = "203.0.113.0/24\r\n2001:db8::/32\r\n" });
        var text = await ConsoleClient.TextOfAsync(saved);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("are saved", text);
        Assert.Contains("203.0.113.0/24, 2001:db8::/32", text);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenFromAsync("198.51.100.1", key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenFromAsync("2001:db8::5", key.Key.KeyId, key.Secret)).StatusCode);

        using var bad = await admin.SubmitAsync(page, page, new() { ["TokensPerMinute"] = "30", ["AllowedAddresses"] = "10.0.0.0/40" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("prefix length of an IPv4 block is 0 to 32", await ConsoleClient.TextOfAsync(bad));
        using var zero = await admin.SubmitAsync(page, page, new() { ["TokensPerMinute"] = "0", ["AllowedAddresses"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("1 to 100000", await ConsoleClient.TextOfAsync(zero));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenFromAsync("203.0.113.9", key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task An_administrator_creates_a_key_with_limits_and_a_bad_rate_is_explained_without_creating_one()
    {
        var account = await world.CreateAccountAsync($"Limits {Guid.NewGuid():N}"[..20]);
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        var newKey = $"/console/accounts/{account.Id}/keys/new";
        var fields = new Dictionary<string, string>
        {
            ["Name"] = "limited at birth", ["Scopes"] = "invoices:read", ["Environment"] = "live", ["DirectUse"] = "true",
            ["TokensPerMinute"] = "abc", ["AllowedAddresses"] = "198.51.100.0/24",
        };

        using var bad = await admin.SubmitAsync(newKey, newKey, fields);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("whole number from 1 to 100000", await ConsoleClient.TextOfAsync(bad));
        fields["TokensPerMinute"] = "7";
        using var created = await admin.SubmitAsync(newKey, newKey, fields);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var keys = await world.InScope<AuthServer.ApiKeys.ApiKeyQueries, AuthServer.Data.Page<AuthServer.ApiKeys.ApiKeyView>>(q =>
            q.ListAsync(AuthServer.Accounts.AccountScope.Only(account.Id), null, 0, 10, CancellationToken.None));
        var key = Assert.Single(keys.Items);
        Assert.Equal(7, key.TokensPerMinute);
        Assert.Equal(["198.51.100.0/24"], key.AllowedAddresses);
    }

    [Fact]
    public async Task A_member_sees_a_keys_limits_but_cannot_change_them()
    {
        var account = await world.CreateAccountAsync($"Limits {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 42, "192.0.2.0/24");
        using var member = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Member);
        var page = $"/console/accounts/{account.Id}/keys/{key.Key.KeyId}/limits";

        var shown = await member.PageAsync(page);

        Assert.Contains("192.0.2.0/24", shown);
        Assert.Contains("Only administrators can change limits", shown);
        using var post = await member.SubmitAsync(page, page, new() { ["TokensPerMinute"] = "", ["AllowedAddresses"] = "" });
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenFromAsync("198.51.100.1", key.Key.KeyId, key.Secret)).StatusCode);
    }
}
