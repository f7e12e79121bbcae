using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Audit;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>A key's browser mode at the console over HTTP: what administrators change and members and others see.</summary>
public sealed partial class ConsoleBrowserModeTests(TestWorld world) : IClassFixture<TestWorld>
{
    private const string App = "https://app.example.com";

    private static string NewEmail() => $"b{Guid.NewGuid():N}"[..12] + "@example.com";

    private static string BrowserPage(string accountId, string keyId) => $"/console/accounts/{accountId}/keys/{keyId}/browser";

    /// <summary>An administrator of a new account with one key holding a publishable scope and a secret-only one.</summary>
    private async Task<(ConsoleClient Admin, string AccountId, string KeyId, string Scope)> AdministratorWithKeyAsync()
    {
        var account = await world.CreateAccountAsync($"Browser {Guid.NewGuid():N}"[..20]);
        var scope = $"pub-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        await world.Provision.SetPublishableAsync(scope, publishable: true);
        var key = await world.CreateKeyAsync([scope, "invoices:write"], accountId: account.Id, name: "storefront");
        var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        return (admin, account.Id, key.Key.KeyId, scope);
    }

    private static Task<HttpResponseMessage> PostAsync(ConsoleClient client, string page, string handler, Dictionary<string, string>? fields = null) =>
        client.SubmitAsync(page, page + "?handler=" + handler, fields ?? []);

    private Task<IReadOnlyList<AuditEntryView>> AuditAsync(string accountId) =>
        world.InScope<AuditQueries, IReadOnlyList<AuditEntryView>>(async q => (await q.ListAsync(Accounts.AccountScope.Only(accountId), 0, 100, CancellationToken.None)).Items);

    private async Task<HttpStatusCode> BrowserTokenStatusAsync(string publishableKey, string origin)
    {
        using var response = await world.Http.RequestBrowserTokenAsync(publishableKey, origin);
        return response.StatusCode;
    }

    [Fact]
    public async Task Setting_origins_turns_browser_mode_on_and_the_page_and_the_key_list_show_the_publishable_key_and_the_scopes_it_reaches()
    {
        var (admin, accountId, keyId, scope) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        Assert.Contains("This key has no browser mode: no web page can use it.", WebUtility.HtmlDecode(await admin.PageAsync(page)));
        Assert.Contains("<span>off</span>", await admin.PageAsync($"/console/accounts/{accountId}/keys"));

        var set = await PostAsync(admin, page, "Origins", new() { ["Origins"] = "HTTPS://App.Example.com\r\n\r\nhttps://*.example.org\r\n" });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var shown = await ConsoleClient.TextOfAsync(set);
        var pk = PublishableKeyPattern().Match(shown).Groups[1].Value;
        Assert.StartsWith("pk_live_", pk, StringComparison.Ordinal);
        Assert.Contains($"Browser mode is on: the publishable key is {pk}.", shown);
        Assert.Contains("Not a secret: safe in a page's source.", shown);
        Assert.Contains("<li><code>https://app.example.com</code></li>", shown); // stored as the service normalises it
        Assert.Contains("<li><code>https://*.example.org</code></li>", shown);
        Assert.Contains(scope, shown);
        Assert.DoesNotContain("invoices:write", Regex.Match(shown, "Scopes it reaches</dt>(.*?)</dd>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Contains("not set: this key's pages cannot use identity tokens", shown);
        Assert.Equal(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, App));
        Assert.Equal(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, "https://shop.example.org"));

        var list = await ConsoleClient.TextOfAsync(await admin.GetAsync($"/console/accounts/{accountId}/keys"));
        Assert.Contains($"<code>{pk}</code>", list);
        Assert.Contains($"href=\"{page}\">Browser mode<span class=\"visually-hidden\"> of storefront</span>", list);

        var changed = await PostAsync(admin, page, "Origins", new() { ["Origins"] = App });
        Assert.Contains("Pages from 1 allowed origin(s) may use the publishable key.", await ConsoleClient.TextOfAsync(changed));
        Assert.NotEqual(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, "https://shop.example.org"));

        var audit = await AuditAsync(accountId);
        Assert.StartsWith("user:", Assert.Single(audit, e => e.Action == AuditActions.PublishableKeyCreated).Actor, StringComparison.Ordinal);
        Assert.Contains("https://*.example.org", Assert.Single(audit, e => e.Action == AuditActions.PublishableKeyOriginsSet).Details?.GetRawText() ?? "");
    }

    [Theory]
    [InlineData("https://app.example.com/path", "is not an origin: an origin has no path")]
    [InlineData("https://*example.com", "a wildcard may only stand for the subdomains of a domain")]
    [InlineData("ftp://files.example.com", "is not an origin: write the scheme (https or http)")]
    public async Task A_bad_origin_pattern_shows_the_services_message_next_to_the_field_keeps_what_was_typed_and_changes_nothing(string bad, string message)
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var pk = (await world.Provision.SetAllowedOriginsAsync(keyId, App)).PublishableKey;

        var refused = await PostAsync(admin, page, "Origins", new() { ["Origins"] = "https://new.example.com\n" + bad });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = await ConsoleClient.TextOfAsync(refused);
        Assert.Matches($"<p id=\"origins-error\" class=\"field-error\">'{Regex.Escape(bad)}'[^<]*{Regex.Escape(message)}", shown);
        Assert.Contains("aria-describedby=\"origins-help origins-error\" aria-invalid=\"true\"", shown);
        Assert.Contains("https://new.example.com\n" + bad + "</textarea>", shown);
        var stored = await world.InScope<Browser.PublishableKeyService, Browser.PublishableKeyView>(s => s.GetAsync(Accounts.AccountScope.Only(accountId), keyId, CancellationToken.None));
        Assert.Equal([App], stored.AllowedOrigins);
        Assert.Equal(pk, stored.PublishableKey);
        Assert.DoesNotContain(await AuditAsync(accountId), e => e.Action == AuditActions.PublishableKeyOriginsSet);
    }

    [Fact]
    public async Task Regenerating_shows_the_new_publishable_key_and_the_old_one_is_refused_at_once()
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var old = (await world.Provision.SetAllowedOriginsAsync(keyId, App)).PublishableKey;
        Assert.Equal(HttpStatusCode.OK, await BrowserTokenStatusAsync(old, App));
        Assert.Contains("The old publishable key stops working at once", await admin.PageAsync(page));

        var shown = await ConsoleClient.TextOfAsync(await PostAsync(admin, page, "Regenerate"));

        var pk = PublishableKeyPattern().Match(shown).Groups[1].Value;
        Assert.NotEqual(old, pk);
        Assert.Contains($"The new publishable key is {pk}; {old} no longer works.", shown);
        Assert.NotEqual(HttpStatusCode.OK, await BrowserTokenStatusAsync(old, App));
        Assert.Equal(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, App));
        Assert.Contains(old, Assert.Single(await AuditAsync(accountId), e => e.Action == AuditActions.PublishableKeyRegenerated).Details?.GetRawText() ?? "");
    }

    [Fact]
    public async Task The_signing_secret_is_shown_once_in_the_uncached_post_response_signs_identity_tokens_and_a_reload_shows_only_when_it_was_set()
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var pk = (await world.Provision.SetAllowedOriginsAsync(keyId, App)).PublishableKey;

        var generated = await PostAsync(admin, page, "SigningSecret");

        Assert.Equal(HttpStatusCode.OK, generated.StatusCode); // rendered in the POST response: no redirect carries the secret
        Assert.True(generated.Headers.CacheControl?.NoStore);
        var shown = await ConsoleClient.TextOfAsync(generated);
        var secret = SigningSecretPattern().Match(shown).Groups[1].Value;
        Assert.NotEmpty(secret);
        Assert.Contains("Store it on your backend, never in a page.", shown);
        Assert.Contains("It is shown only this once", shown);
        var issuer = (await (await world.Http.GetAsync("/.well-known/oauth-authorization-server")).ReadJsonAsync()).GetProperty("issuer").GetString()!;
        using (var exchanged = await world.Http.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken(secret, issuer, "user-9")))
        {
            Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        }

        var reloaded = await ConsoleClient.TextOfAsync(await admin.GetAsync(page));
        Assert.DoesNotContain(secret, reloaded);
        Assert.Matches("<dt>Signing secret</dt>\\s*<dd>set \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</dd>", reloaded);
        Assert.Contains("A new one replaces the current one at once.", reloaded);
        Assert.DoesNotContain(secret, string.Join("\n", (await AuditAsync(accountId)).Select(e => e.Details?.GetRawText())));
        Assert.Single(await AuditAsync(accountId), e => e.Action == AuditActions.SigningSecretGenerated);
    }

    [Fact]
    public async Task Removing_ends_browser_mode_the_publishable_key_is_refused_and_the_list_says_off()
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var pk = (await world.Provision.SetAllowedOriginsAsync(keyId, App)).PublishableKey;

        var shown = await ConsoleClient.TextOfAsync(await PostAsync(admin, page, "Remove"));

        Assert.Contains("Browser mode is off: the publishable key and the signing secret are deleted.", shown);
        Assert.Contains("This key has no browser mode", shown);
        Assert.NotEqual(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, App));
        Assert.DoesNotContain(pk, await admin.PageAsync($"/console/accounts/{accountId}/keys"));
        Assert.Single(await AuditAsync(accountId), e => e.Action == AuditActions.PublishableKeyRemoved);
    }

    [Fact]
    public async Task A_key_with_no_publishable_scope_says_its_publishable_key_reaches_nothing()
    {
        var account = await world.CreateAccountAsync($"Browser {Guid.NewGuid():N}"[..20]);
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "secret only");
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        await world.Provision.SetAllowedOriginsAsync(key.Key.KeyId, App);

        var shown = WebUtility.HtmlDecode(await admin.PageAsync(BrowserPage(account.Id, key.Key.KeyId)));

        Assert.Contains("None: none of this key's scopes is marked publishable, so its tokens can do nothing.", shown);
    }

    [Fact]
    public async Task A_member_sees_browser_mode_without_change_buttons_and_a_forged_change_is_refused_and_changes_nothing()
    {
        var (admin, accountId, keyId, scope) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var pk = (await world.Provision.SetAllowedOriginsAsync(keyId, App)).PublishableKey;
        using var member = await ConsoleClient.For(world).JoinAsync(world, accountId, NewEmail(), MemberRole.Member);

        var shown = await ConsoleClient.TextOfAsync(await member.GetAsync(page));

        Assert.Contains(pk, shown);
        Assert.Contains(scope, shown);
        Assert.Contains("Only administrators can change browser mode; ask an administrator of this account.", shown);
        Assert.DoesNotContain("<form method=\"post\" action=\"" + page, shown);
        Assert.DoesNotContain("Regenerate publishable key", shown);
        Assert.DoesNotContain("Generate signing secret", shown);

        var forged = await member.PostAsync(page + "?handler=Regenerate", [], await member.AntiforgeryTokenAsync("/console/sign-out"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await BrowserTokenStatusAsync(pk, App));
        Assert.DoesNotContain(await AuditAsync(accountId), e => e.Action == AuditActions.PublishableKeyRegenerated);
    }

    [Fact]
    public async Task Another_accounts_key_is_not_found_and_an_administrator_of_another_account_gets_404()
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        await world.Provision.SetAllowedOriginsAsync(keyId, App);
        var (stranger, strangerAccount, _, _) = await AdministratorWithKeyAsync();
        using var __ = stranger;

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(BrowserPage(accountId, keyId))).StatusCode);
        var ownAccountOtherKey = BrowserPage(strangerAccount, keyId); // their own account's URL with this key: not theirs either
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(ownAccountOtherKey)).StatusCode);
        var forged = await stranger.PostAsync(ownAccountOtherKey + "?handler=Origins", new() { ["Origins"] = "https://evil.example.com" },
            await stranger.AntiforgeryTokenAsync("/console/sign-out"));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.DoesNotContain(await AuditAsync(accountId), e => e.Action == AuditActions.PublishableKeyOriginsSet);
    }

    [Fact]
    public async Task A_revoked_keys_browser_mode_is_read_only_and_a_change_is_refused_with_the_reason()
    {
        var (admin, accountId, keyId, _) = await AdministratorWithKeyAsync();
        using var _ = admin;
        var page = BrowserPage(accountId, keyId);
        var form = await admin.AntiforgeryTokenAsync(page);
        await world.Provision.SetAllowedOriginsAsync(keyId, App);
        await world.Provision.RevokeKeyAsync(keyId);

        var shown = await ConsoleClient.TextOfAsync(await admin.GetAsync(page));
        Assert.Contains("This key is revoked, so its browser mode is read-only", shown);
        Assert.DoesNotContain("Save allowed origins", shown);
        Assert.DoesNotContain("Regenerate publishable key", shown);

        var refused = await admin.PostAsync(page + "?handler=Origins", new() { ["Origins"] = "https://late.example.com" }, form);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("a revoked key cannot be changed", await ConsoleClient.TextOfAsync(refused));
    }

    [GeneratedRegex("<code id=\"publishable-key\">(pk_[^<]+)</code>")]
    private static partial Regex PublishableKeyPattern();

    [GeneratedRegex("id=\"signing-secret\" class=\"secret\" value=\"([^\"]+)\"")]
    private static partial Regex SigningSecretPattern();
}
