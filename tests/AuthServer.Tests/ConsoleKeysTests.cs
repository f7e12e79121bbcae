using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>Keys at the console over HTTP, as an administrator and a member of an account see them.</summary>
public sealed partial class ConsoleKeysTests(TestWorld world) : IClassFixture<TestWorld>
{
    private static string NewEmail() => $"k{Guid.NewGuid():N}"[..12] + "@example.com";

    private async Task<(ConsoleClient Admin, string AccountId)> AdministratorOfNewAccountAsync(int? keyLimit = null)
    {
        var account = await world.CreateAccountAsync($"Console {Guid.NewGuid():N}"[..20], keyLimit);
        return (await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator), account.Id);
    }

    private static async Task<HttpResponseMessage> CreateKeyAsync(ConsoleClient admin, string accountId, string name, string? environment = null) =>
        await admin.SubmitAsync($"/console/accounts/{accountId}/keys/new", $"/console/accounts/{accountId}/keys/new",
            environment is null
                ? new() { ["Name"] = name, ["Scopes"] = "invoices:read" }
                : new() { ["Name"] = name, ["Scopes"] = "invoices:read", ["Environment"] = environment });

    [Fact]
    public async Task The_new_key_dialog_offers_live_by_default_or_test_and_the_list_shows_and_filters_the_environment()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var dialog = await admin.PageAsync($"/console/accounts/{accountId}/keys/new");
        Assert.Contains("<input type=\"radio\" id=\"environment-live\" name=\"Environment\" value=\"live\" checked=\"checked\">", dialog);
        Assert.Contains("id=\"environment-test\"", dialog);

        var test = await ConsoleClient.TextOfAsync(await CreateKeyAsync(admin, accountId, "sandbox", "test"));
        var live = await ConsoleClient.TextOfAsync(await CreateKeyAsync(admin, accountId, "production"));
        var testSecret = SecretPattern().Match(test).Value;
        Assert.StartsWith("authsk_test_", testSecret, StringComparison.Ordinal);
        Assert.StartsWith("authsk_live_", SecretPattern().Match(live).Value, StringComparison.Ordinal);
        Assert.Contains("<span class=\"environment environment-test\">test</span>", test);
        using (var token = await world.Http.RequestTokenAsync(KeyIdPattern().Match(test).Groups[1].Value, testSecret))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        var all = await admin.PageAsync($"/console/accounts/{accountId}/keys");
        Assert.Contains("<span class=\"environment environment-test\">test</span>", all);
        Assert.Contains("<span class=\"environment environment-live\">live</span>", all);
        Assert.Contains("1 live and 1 test active keys", all);
        var onlyTest = await admin.PageAsync($"/console/accounts/{accountId}/keys?environment=test");
        Assert.Contains("sandbox", onlyTest);
        Assert.DoesNotContain("production", onlyTest);
        Assert.Contains("<option value=\"test\" selected=\"selected\">test</option>", onlyTest);
        var onlyLive = await admin.PageAsync($"/console/accounts/{accountId}/keys?environment=live&status=active");
        Assert.Contains("production", onlyLive);
        Assert.DoesNotContain("sandbox", onlyLive);

        var bad = await CreateKeyAsync(admin, accountId, "bogus", "staging");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("environment is test or live.", await ConsoleClient.TextOfAsync(bad));
    }

    [Fact]
    public async Task A_test_key_with_a_live_only_scope_is_refused_in_the_console_with_the_reason()
    {
        var scope = $"console-live-{Guid.NewGuid():N}"[..24];
        await world.Provision.CreateLiveOnlyScopeAsync(scope, TestWorld.InvoicesApi);
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var form = $"/console/accounts/{accountId}/keys/new";
        Assert.Contains("(live keys only)", await admin.PageAsync(form));

        var refused = await admin.SubmitAsync(form, form, new() { ["Name"] = "sandbox", ["Scopes"] = scope, ["Environment"] = "test" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"The scope '{scope}' is for live keys only, and this is a test key.", await ConsoleClient.TextOfAsync(refused));
        Assert.Contains("No keys here yet", await admin.PageAsync($"/console/accounts/{accountId}/keys"));
    }

    [Fact]
    public async Task A_new_key_shows_its_secret_once_in_the_uncached_response_and_the_secret_gets_a_token()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var created = await CreateKeyAsync(admin, accountId, "billing");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode); // rendered in the POST response: no redirect carries the secret
        Assert.True(created.Headers.CacheControl?.NoStore);
        var page = await ConsoleClient.TextOfAsync(created);
        var secret = SecretPattern().Match(page).Value;
        var keyId = KeyIdPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(secret);
        Assert.Contains("shown only this once", page);

        using var token = await world.Http.RequestTokenAsync(keyId, secret);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);

        var list = await admin.PageAsync($"/console/accounts/{accountId}/keys");
        Assert.Contains(keyId, list);
        Assert.DoesNotContain(secret, list);
        Assert.Contains(secret[^4..], list); // the hint
        Assert.Contains("by user:", list);
    }

    [Fact]
    public async Task Sending_the_create_form_again_like_a_reload_shows_only_the_hint_and_makes_no_second_key()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var form = $"/console/accounts/{accountId}/keys/new";
        var token = await admin.AntiforgeryTokenAsync(form);
        var fields = new Dictionary<string, string> { ["Name"] = "reloaded", ["Scopes"] = "invoices:read", ["FormId"] = Guid.NewGuid().ToString("N") };
        var first = await ConsoleClient.TextOfAsync(await admin.PostAsync(form, fields, token));
        var secret = SecretPattern().Match(first).Value;
        Assert.NotEmpty(secret);

        var again = await admin.PostAsync(form, fields, token);
        var page = await ConsoleClient.TextOfAsync(again);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.DoesNotContain(secret, page);
        Assert.Contains("Its secret was shown only that once", page);
        Assert.Contains(secret[^4..], page);
        Assert.Single(Regex.Matches(await admin.PageAsync($"/console/accounts/{accountId}/keys"), "data-key-id="));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_creates_nothing()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var forged = await admin.PostAsync($"/console/accounts/{accountId}/keys/new", new() { ["Name"] = "forged", ["Scopes"] = "invoices:read" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("No keys here yet", await admin.PageAsync($"/console/accounts/{accountId}/keys"));
    }

    [Fact]
    public async Task A_key_created_not_usable_directly_is_refused_by_apis_until_an_administrator_allows_it_and_both_are_audited()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var form = $"/console/accounts/{accountId}/keys/new";
        Assert.Contains("id=\"direct-use\" name=\"DirectUse\" value=\"true\" checked", await admin.PageAsync(form));
        var created = await admin.SubmitAsync(form, form, new() { ["Name"] = "oauth only", ["Scopes"] = "invoices:read", ["DirectUse"] = "false" });
        var secret = SecretPattern().Match(await ConsoleClient.TextOfAsync(created)).Value;
        var keys = $"/console/accounts/{accountId}/keys";
        Assert.Contains("tokens only", await ConsoleClient.TextOfAsync(await admin.GetAsync(keys)));
        Assert.False(await DirectlyActiveAsync(secret));

        var allowed = await admin.SubmitAsync(keys, keys + "?handler=DirectUse", new() { ["keyId"] = await KeyIdOfAsync(accountId), ["allow"] = "true" });

        Assert.Contains("may now take the secret", await ConsoleClient.TextOfAsync(allowed));
        Assert.True(await DirectlyActiveAsync(secret));
        var audit = await world.InScope<Audit.AuditQueries, Data.Page<Audit.AuditEntryView>>(q => q.ListAsync(Accounts.AccountScope.Only(accountId), 0, 50, CancellationToken.None));
        var set = Assert.Single(audit.Items, e => e.Action == "key.direct_use_set");
        Assert.StartsWith("user:", set.Actor, StringComparison.Ordinal);
        Assert.Contains("\"directUse\":false", Assert.Single(audit.Items, e => e.Action == "key.created").Details?.GetRawText() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> KeyIdOfAsync(string accountId) =>
        (await world.InScope<ApiKeys.ApiKeyQueries, Data.Page<ApiKeys.ApiKeyView>>(q => q.ListAsync(Accounts.AccountScope.Only(accountId), null, 0, 10, CancellationToken.None))).Items.Single().KeyId;

    private async Task<bool> DirectlyActiveAsync(string secret)
    {
        using var response = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, secret, "api_key");
        return (await response.ReadJsonAsync()).GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task At_the_limit_the_create_button_is_disabled_naming_the_limit_and_whom_to_ask()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync(keyLimit: 1);
        using var _ = admin;
        Assert.Equal(HttpStatusCode.OK, (await CreateKeyAsync(admin, accountId, "only one")).StatusCode);
        var roomForTest = await ConsoleClient.TextOfAsync(await admin.GetAsync($"/console/accounts/{accountId}/keys"));
        Assert.DoesNotContain("disabled aria-describedby=\"create-refused\"", roomForTest); // the limit counts test keys apart
        var overLive = await admin.PostAsync($"/console/accounts/{accountId}/keys/new", new() { ["Name"] = "second", ["Scopes"] = "invoices:read" },
            await admin.AntiforgeryTokenAsync($"/console/accounts/{accountId}/keys"));
        Assert.Equal(HttpStatusCode.Conflict, overLive.StatusCode);
        Assert.Contains("1 active live keys; its limit is 1 per environment", await ConsoleClient.TextOfAsync(overLive));
        Assert.Equal(HttpStatusCode.OK, (await CreateKeyAsync(admin, accountId, "only test", "test")).StatusCode);

        var list = await ConsoleClient.TextOfAsync(await admin.GetAsync($"/console/accounts/{accountId}/keys"));
        Assert.Contains("<button type=\"button\" disabled aria-describedby=\"create-refused\">Add new key</button>", list);
        Assert.Contains("its limit of 1 for each", list);
        Assert.Contains("ask an AuthServer operator to raise the limit", list);

        var over = await admin.PostAsync($"/console/accounts/{accountId}/keys/new", new() { ["Name"] = "second", ["Scopes"] = "invoices:read", ["Environment"] = "test" },
            await admin.AntiforgeryTokenAsync($"/console/accounts/{accountId}/keys"));
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Contains("its limit is 1", await ConsoleClient.TextOfAsync(over));
    }

    [Fact]
    public async Task A_member_sees_the_keys_but_the_create_button_is_disabled()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        await CreateKeyAsync(admin, accountId, "visible to members");
        using var member = await ConsoleClient.For(world).JoinAsync(world, accountId, NewEmail(), MemberRole.Member);
        var list = await ConsoleClient.TextOfAsync(await member.GetAsync($"/console/accounts/{accountId}/keys"));
        Assert.Contains("visible to members", list);
        Assert.Contains("Only administrators can create keys; ask an administrator of this account.", list);
        Assert.DoesNotContain("Refresh", list);
        Assert.DoesNotContain(">Revoke", list);
    }

    [Fact]
    public async Task Rename_refresh_and_revoke_by_typing_the_name_then_the_token_endpoint_refuses_the_key()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var key = await world.CreateKeyAsync(["invoices:read"], DateTime.UtcNow.AddDays(10), accountId, "old name");
        var keys = $"/console/accounts/{accountId}/keys";

        var renamed = await admin.SubmitAsync(keys, keys + "?handler=Rename", new() { ["keyId"] = key.Key.KeyId, ["name"] = "new name" });
        Assert.Contains("Renamed the key to “new name”", await ConsoleClient.TextOfAsync(renamed));
        var empty = await admin.SubmitAsync(keys, keys + "?handler=Rename", new() { ["keyId"] = key.Key.KeyId, ["name"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("cannot be empty", await ConsoleClient.TextOfAsync(empty));

        var refreshed = await admin.SubmitAsync(keys, keys + "?handler=Refresh", new() { ["keyId"] = key.Key.KeyId, ["days"] = "30" });
        Assert.Contains("its secret is unchanged", await ConsoleClient.TextOfAsync(refreshed));
        using (var token = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        var revoke = $"{keys}/{key.Key.KeyId}/revoke";
        var wrong = await admin.SubmitAsync(revoke, revoke, new() { ["ConfirmName"] = "old name" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        using (var stillWorks = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        var revoked = await admin.SubmitAsync(revoke, revoke, new() { ["ConfirmName"] = "new name" });
        Assert.Contains("is revoked", await ConsoleClient.TextOfAsync(revoked));
        using var refused = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("key.revoked", await admin.PageAsync($"/console/accounts/{accountId}/audit"));
    }

    [Fact]
    public async Task A_thousand_keys_list_one_page_per_query()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync(keyLimit: 1000);
        using var _ = admin;
        await world.Provision.InScope<Data.AuthDbContext, int>(async db =>
        {
            var now = DateTime.UtcNow;
            db.ApiKeys.AddRange(Enumerable.Range(0, 1000).Select(i => new ApiKeys.ApiKey
            {
                Id = ApiKeys.ApiKeyId.New(), AccountId = accountId, Name = $"bulk {i}", Scopes = ["invoices:read"], SecretHint = "authsk_…abcd", CreatedAt = now.AddSeconds(-i), CreatedBy = "test",
            }));
            return await db.SaveChangesAsync();
        });

        var mark = world.Factory.Sql.Mark();
        var page = await admin.PageAsync($"/console/accounts/{accountId}/keys?p=3");
        Assert.Contains("bulk 50", page);
        Assert.Contains("Older", page);
        Assert.Equal(1, world.Factory.Sql.Since(mark).Count(sql => sql.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal) && sql.Contains("LIMIT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Console_responses_forbid_framing_inline_script_and_caching_and_the_cookie_is_secure_httponly_strict()
    {
        using var client = ConsoleClient.For(world);
        var signIn = await client.GetAsync("/console/sign-in");
        Assert.Contains("default-src 'self'", signIn.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", signIn.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("unsafe-inline", signIn.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", signIn.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotContain("<script>", await signIn.Content.ReadAsStringAsync());

        var email = NewEmail();
        var link = await ConsoleClient.InviteAsync(world, world.Acme.Id, email, MemberRole.Member);
        var accepted = await client.SubmitAsync(link, link, new() { ["DisplayName"] = "Cy", ["Password"] = "correct horse battery" });
        var cookie = accepted.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("authserver.console=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
    }

    [GeneratedRegex(Secrets.ClientSecret.Prefix + Secrets.ClientSecret.EnvironmentPattern + "[0-9A-Za-z]{49}")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("<code id=\"key-id\">([^<]+)</code>")]
    private static partial Regex KeyIdPattern();
}
