using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>Rolling a key's secret at the console, as an administrator and a member see it.</summary>
public sealed partial class ConsoleRollTests(TestWorld world) : IClassFixture<TestWorld>
{
    private static string NewEmail() => $"r{Guid.NewGuid():N}"[..12] + "@example.com";

    [Fact]
    public async Task An_administrator_rolls_a_secret_from_the_keys_list_sees_the_new_one_once_and_ends_the_grace()
    {
        var account = await world.CreateAccountAsync($"Roll {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "rolling");
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        var keys = $"/console/accounts/{account.Id}/keys";
        var rollPage = $"{keys}/{key.Key.KeyId}/roll";

        Assert.Contains(rollPage, await admin.PageAsync(keys));
        var form = await admin.PageAsync(rollPage);
        Assert.Contains("<option value=\"24\" selected", form);

        using var rolled = await admin.SubmitAsync(rollPage, rollPage, new() { ["Grace"] = "24" });
        Assert.Equal(HttpStatusCode.OK, rolled.StatusCode); // rendered in the POST response: no redirect carries the secret
        Assert.True(rolled.Headers.CacheControl?.NoStore);
        var page = await ConsoleClient.TextOfAsync(rolled);
        var secret = SecretPattern().Match(page).Value;
        Assert.NotEmpty(secret);
        Assert.Contains("shown only this once", page);
        Assert.Contains("Old secret: works until", page);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);

        var list = await admin.PageAsync(keys);
        Assert.DoesNotContain(secret, list);
        Assert.Contains("old secret until", list);
        Assert.DoesNotContain(secret, await admin.PageAsync(rollPage));

        using var ended = await admin.SubmitAsync(rollPage, rollPage + "?handler=EndGrace", []);
        Assert.Contains("no longer works", await ConsoleClient.TextOfAsync(ended));
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, secret)).StatusCode);
    }

    [Fact]
    public async Task A_bad_grace_is_explained_and_changes_nothing()
    {
        var account = await world.CreateAccountAsync($"Roll {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "rolling");
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        var rollPage = $"/console/accounts/{account.Id}/keys/{key.Key.KeyId}/roll";

        using var refused = await admin.SubmitAsync(rollPage, rollPage, new() { ["Grace"] = "500" });

        var page = await ConsoleClient.TextOfAsync(refused);
        Assert.Contains("between 0 and 168 hours", page);
        Assert.DoesNotMatch(SecretPattern(), page);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task A_member_sees_the_page_without_the_form()
    {
        var account = await world.CreateAccountAsync($"Roll {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "rolling");
        using var member = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Member);

        var page = await member.PageAsync($"/console/accounts/{account.Id}/keys/{key.Key.KeyId}/roll");

        Assert.Contains("Only administrators can roll secrets", page);
        Assert.DoesNotContain("Roll secret</button>", page);
    }

    [GeneratedRegex("authsk_(?:test_|live_)?[0-9A-Za-z]{40,}")]
    private static partial Regex SecretPattern();
}
