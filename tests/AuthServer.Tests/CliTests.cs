using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>The operator CLI, run in-process against the server's own services, as an operator would use it.</summary>
public sealed class CliTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task An_operator_sets_up_an_account_and_a_key_that_then_gets_a_token()
    {
        var account = await RunJson("accounts", "create", "--name", "Cli Corp", "--json");
        var accountId = account.GetProperty("id").GetString()!;
        Assert.Equal(0, (await Run("resources", "create", "cli-api", "--description", "CLI test API")).Code);
        Assert.Equal(0, (await Run("scopes", "create", "cli:read", "--resource", "cli-api", "--description", "Read")).Code);

        var created = await RunJson("keys", "create", "--account", accountId, "--scope", "cli:read", "--name", "from cli", "--expires", "30d", "--json");
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(keyId, secret)).StatusCode);
        var list = await Run("keys", "list", "--account", accountId);
        Assert.Equal(0, list.Code);
        Assert.Contains(keyId, list.Out);
        Assert.Contains("from cli", list.Out);
        Assert.Contains("authsk_live_...", list.Out);
        Assert.DoesNotContain(secret, list.Out);
    }

    [Fact]
    public async Task An_operator_registers_a_webhook_endpoint_sees_its_deliveries_and_removes_it_and_bad_input_is_one_line()
    {
        var added = await Run("webhooks", "add", "--account", world.Acme.Id, "--url", "https://93.184.216.34/hooks", "--event", "key.revoked", "--event", "key.expired");
        Assert.Equal(0, added.Code);
        var secret = added.Out.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("whsec_", StringComparison.Ordinal));
        var id = added.Out.Split(' ', '\n').Single(word => word.StartsWith("whk_", StringComparison.Ordinal));

        var list = await Run("webhooks", "list", "--account", world.Acme.Id);
        Assert.Contains(id, list.Out);
        Assert.Contains("key.expired key.revoked", list.Out);
        Assert.DoesNotContain(secret, list.Out + (await Run("webhooks", "list", "--account", world.Acme.Id, "--json")).Out);

        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(key.Key.KeyId);
        var deliveries = await Run("webhooks", "deliveries", "--account", world.Acme.Id, id);
        Assert.Equal(0, deliveries.Code);
        Assert.Contains("key.revoked", deliveries.Out);

        Assert.Equal(0, (await Run("webhooks", "remove", "--account", world.Acme.Id, id)).Code);
        Assert.DoesNotContain(id, (await Run("webhooks", "list", "--account", world.Acme.Id)).Out);

        var internalAddress = await Run("webhooks", "add", "--account", world.Acme.Id, "--url", "https://169.254.169.254/", "--event", "key.revoked");
        Assert.NotEqual(0, internalAddress.Code);
        Assert.Single(internalAddress.Err.Trim().Split('\n'));
        Assert.Contains("loopback, private, link-local or reserved", internalAddress.Err);
        var unknownAccount = await Run("webhooks", "add", "--account", "acct_nope", "--url", "https://93.184.216.34/hooks", "--event", "key.revoked");
        Assert.NotEqual(0, unknownAccount.Code);
        Assert.Equal("error: No account 'acct_nope'.", unknownAccount.Err.Trim());
    }

    [Fact]
    public async Task Text_output_of_create_shows_the_secret_once_and_list_never()
    {
        var result = await Run("keys", "create", "--account", world.Acme.Id, "--scope", "invoices:read");

        Assert.Equal(0, result.Code);
        var secret = result.Out.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("authsk_", StringComparison.Ordinal) && !line.Contains("...", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, (await Run("keys", "list")).Out);
        Assert.DoesNotContain(secret, (await Run("keys", "list", "--json")).Out);
    }

    [Fact]
    public async Task An_operator_gives_a_key_a_publishable_key_and_a_signing_secret_printed_once()
    {
        var scope = $"cli-pub-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        Assert.Contains("is now publishable", (await Run("scopes", "publishable", scope)).Out);
        var id = (await world.CreateKeyAsync([scope, "invoices:read"])).Key.KeyId;

        var set = await Run("keys", "publishable", "set-origins", id, "--origin", "https://app.example.com", "--origin", "http://localhost:3000");
        var secret = await Run("keys", "signing-secret", id);
        var shown = await RunJson("keys", "publishable", "show", id, "--json");
        var regenerated = await RunJson("keys", "publishable", "regenerate", id, "--json");

        Assert.Equal(0, set.Code);
        Assert.Contains("The key now has a publishable key.", set.Out);
        Assert.Contains("https://app.example.com http://localhost:3000", set.Out);
        var signingSecret = secret.Out.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("authsk_", StringComparison.Ordinal));
        Assert.DoesNotContain(signingSecret, shown.ToString());
        Assert.True(shown.GetProperty("hasSigningSecret").GetBoolean());
        Assert.Equal([scope], shown.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEqual(shown.GetProperty("publishableKey").GetString(), regenerated.GetProperty("publishableKey").GetString());
        Assert.Contains(regenerated.GetProperty("publishableKey").GetString()!, (await Run("keys", "show", id)).Out);
        Assert.Contains(regenerated.GetProperty("publishableKey").GetString()!, (await Run("keys", "list", "--take", "200")).Out);
        Assert.Equal(0, (await Run("keys", "publishable", "remove", id)).Code);
        Assert.Equal(1, (await Run("keys", "publishable", "show", id)).Code);
    }

    [Fact]
    public async Task Rename_extend_revoke_and_show_work_from_the_cli()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddDays(1));
        var id = key.Key.KeyId;

        Assert.Equal(0, (await Run("keys", "rename", id, "renamed")).Code);
        Assert.Equal(0, (await Run("keys", "extend", id, "--expires", DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"))).Code);
        var revoke = await Run("keys", "revoke", id);
        var shown = await RunJson("keys", "show", id, "--json");

        Assert.Contains("Revoked", revoke.Out);
        Assert.Equal("renamed", shown.GetProperty("name").GetString());
        Assert.Equal("revoked", shown.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(id, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Accounts_list_and_set_limit()
    {
        var account = await RunJson("accounts", "create", "--name", "Limits", "--json");
        var id = account.GetProperty("id").GetString()!;

        var set = await Run("accounts", "set-limit", id, "--limit", "7");
        var list = await RunJson("accounts", "list", "--json");

        Assert.Equal(0, set.Code);
        Assert.Contains("7 active keys", set.Out);
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetString() == id && a.GetProperty("keyLimit").GetInt32() == 7);
    }

    [Fact]
    public async Task Users_invite_prints_a_one_time_link_that_opens_the_console_invitation()
    {
        var invited = await Run("users", "invite", "--account", world.Acme.Id, "--email", "first.admin@acme.test", "--role", "administrator");
        Assert.True(invited.Code == 0, invited.Err);
        Assert.Contains("Invited first.admin@acme.test as administrator", invited.Out);
        var link = invited.Out.Split('\n').Single(line => line.Contains("/console/invitation?token=authinv_", StringComparison.Ordinal)).Trim();

        var page = await world.Http.GetAsync(link.StartsWith('/') ? link : new Uri(link).PathAndQuery);
        Assert.True(page.StatusCode == HttpStatusCode.OK, link + " " + await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("first.admin@acme.test", await page.Content.ReadAsStringAsync());

        var bad = await Run("users", "invite", "--account", world.Acme.Id, "--email", "not-an-email", "--role", "member");
        Assert.Equal(1, bad.Code);
        Assert.Contains("Enter an email address", bad.Err);
    }

    [Fact]
    public async Task At_the_key_limit_the_cli_names_the_limit_and_creates_nothing()
    {
        var account = await RunJson("accounts", "create", "--name", "Full", "--key-limit", "1", "--json");
        var id = account.GetProperty("id").GetString()!;
        Assert.Equal(0, (await Run("keys", "create", "--account", id, "--scope", "invoices:read")).Code);

        var refused = await Run("keys", "create", "--account", id, "--scope", "invoices:read");

        Assert.Equal(1, refused.Code);
        Assert.Equal("", refused.Out);
        Assert.Equal($"error: Account '{id}' already has 1 active live keys; its limit is 1 per environment. Revoke a key or ask an operator to raise the limit.", refused.Err.Trim());
        Assert.Single((await RunJson("keys", "list", "--account", id, "--json")).EnumerateArray());
    }

    [Theory]
    [InlineData(2, "keys", "create", "--scope", "invoices:read")]                                 // missing --account
    [InlineData(2, "keys", "frobnicate")]                                                           // unknown command
    [InlineData(2, "accounts", "create")]                                                           // missing --name
    [InlineData(2, "accounts", "set-limit", "acct_x")]                                              // neither --limit nor --default
    [InlineData(2, "keys", "list", "--status", "sleeping")]                                         // bad enum
    [InlineData(1, "keys", "create", "--account", "acct_none", "--scope", "invoices:read")]         // unknown account
    [InlineData(1, "keys", "create", "--account", "ACME", "--scope", "no:such")]                    // unknown scope
    [InlineData(1, "keys", "create", "--account", "ACME", "--scope", "invoices:read", "--expires", "someday")]
    [InlineData(1, "keys", "create", "--account", "ACME", "--scope", "invoices:read", "--expires", "2001-01-01")]
    [InlineData(1, "keys", "revoke", "ak_doesnotexist00")]
    [InlineData(1, "keys", "list", "--take", "0")]
    [InlineData(1, "scopes", "create", "bad scope", "--resource", "invoices-api")]
    [InlineData(1, "scopes", "create", "x:y", "--resource", "nowhere")]
    [InlineData(1, "scopes", "create", "invoices:read", "--resource", "invoices-api")]              // exists
    [InlineData(1, "resources", "create", "ak_lookslikeakey")]
    [InlineData(1, "resources", "credentials", "nowhere")]
    [InlineData(1, "accounts", "set-limit", "acct_none", "--limit", "4")]
    [InlineData(1, "keys", "publishable", "set-origins", "ak_doesnotexist00", "--origin", "https://app.example.com")]
    [InlineData(1, "keys", "publishable", "set-origins", "KEY", "--origin", "https://app.example.com/path")]
    [InlineData(1, "keys", "publishable", "set-origins", "KEY")]                                    // neither --origin nor --none
    [InlineData(1, "keys", "publishable", "show", "KEY")]                                           // no publishable key yet
    [InlineData(1, "keys", "signing-secret", "KEY")]                                                // idem
    [InlineData(1, "scopes", "publishable", "admin:operator")]
    [InlineData(2, "keys", "publishable", "show")]
    [InlineData(1, "keys", "roll", "KEY", "--grace", "-1h")]
    [InlineData(1, "keys", "roll", "KEY", "--grace", "8d")]
    [InlineData(1, "keys", "roll", "KEY", "--grace", "a day")]
    [InlineData(1, "keys", "roll", "KEY", "--grace", "24")]                                         // no unit
    [InlineData(1, "keys", "roll", "ak_doesnotexist00")]
    [InlineData(1, "keys", "end-grace", "KEY")]                                                     // never rolled
    public async Task Bad_input_exits_non_zero_with_one_readable_line(int code, params string[] args)
    {
        var keyId = args.Contains("KEY") ? (await world.CreateKeyAsync(["invoices:read"])).Key.KeyId : "";
        args = args.Select(arg => arg == "ACME" ? world.Acme.Id : arg == "KEY" ? keyId : arg).ToArray();

        var result = await Run(args);

        Assert.Equal(code, result.Code);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain(" at ", lines[0]);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Bootstrap_makes_the_first_operator_key_once_and_it_opens_the_admin_api()
    {
        var created = await RunJson("bootstrap", "--json");
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        var token = await world.Http.GetAccessTokenAsync(keyId, secret, scope: "admin:operator");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/accounts");
        request.Headers.Authorization = new("Bearer", token);
        using var accounts = await world.Http.SendAsync(request);
        var again = await Run("bootstrap");

        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        Assert.Equal(1, again.Code);
        Assert.Contains("already exists", again.Err);
        Assert.DoesNotContain(secret, again.Err + again.Out);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var result = await Run("keys", "--help");

        Assert.Equal(0, result.Code);
        foreach (var command in new[] { "create", "list", "show", "rename", "extend", "revoke" })
        {
            Assert.Contains(command, result.Out);
        }
    }

    [Fact]
    public async Task A_bad_status_names_the_statuses_not_a_type()
    {
        var result = await Run("keys", "list", "--status", "bogus");

        Assert.Equal(2, result.Code);
        Assert.Equal("error: 'bogus' is not a key status: use active, expired or revoked. (see --help)", result.Err.Trim());
    }

    [Fact]
    public async Task A_list_with_more_rows_than_shown_says_how_to_see_them()
    {
        var account = await RunJson("accounts", "create", "--name", "Paged", "--json");
        var id = account.GetProperty("id").GetString()!;
        await Run("keys", "create", "--account", id, "--scope", "invoices:read");
        await Run("keys", "create", "--account", id, "--scope", "invoices:read");

        var text = await Run("keys", "list", "--account", id, "--take", "1");
        var json = await Run("keys", "list", "--account", id, "--take", "1", "--json");
        var last = await Run("keys", "list", "--account", id, "--skip", "1", "--take", "1");

        Assert.Contains("More keys exist: see them with --skip 1 --take 1.", text.Out);
        Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal("More keys exist: see them with --skip 1 --take 1.", json.Err.Trim());
        Assert.DoesNotContain("More keys", last.Out + last.Err);
    }

    [Fact]
    public async Task Roll_prints_the_new_secret_once_show_and_list_give_the_old_secrets_grace_and_end_grace_stops_it()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var id = key.Key.KeyId;

        var rolled = await Run("keys", "roll", id, "--grace", "2h");
        var secret = rolled.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        var shown = await Run("keys", "show", id);
        var listed = await Run("keys", "list", "--account", world.Acme.Id);

        Assert.Equal(0, rolled.Code);
        Assert.StartsWith("authsk_live_", secret);
        Assert.NotEqual(key.Secret, secret);
        Assert.Contains("old secret: works until", shown.Out);
        Assert.DoesNotContain(secret, shown.Out + listed.Out);
        Assert.Contains("OLD SECRET UNTIL", listed.Out);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(id, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(id, secret)).StatusCode);

        var ended = await Run("keys", "end-grace", id);

        Assert.Equal(0, ended.Code);
        Assert.Contains("old secret: stopped", (await Run("keys", "show", id)).Out);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(id, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(id, secret)).StatusCode);
    }

    [Fact]
    public async Task Created_key_json_uses_the_http_apis_words()
    {
        var created = await RunJson("keys", "create", "--account", world.Acme.Id, "--scope", "invoices:read", "--json");

        Assert.False(created.GetProperty("replayed").GetBoolean());
        Assert.False(created.TryGetProperty("isReplay", out _));
    }

    [Fact]
    public async Task Direct_use_is_off_at_creation_with_no_direct_use_and_switched_with_direct_use_on_or_off()
    {
        var created = await RunJson("keys", "create", "--account", world.Acme.Id, "--scope", "invoices:read", "--no-direct-use", "--json");
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        Assert.False(created.GetProperty("key").GetProperty("directUse").GetBoolean());

        var on = await Run("keys", "direct-use", keyId, "on");
        var shown = await Run("keys", "show", keyId);
        var bad = await Run("keys", "direct-use", keyId, "maybe");

        Assert.Equal(0, on.Code);
        Assert.Contains("may accept its secret directly", on.Out, StringComparison.Ordinal);
        Assert.Contains("usable directly", shown.Out, StringComparison.Ordinal);
        Assert.Equal(2, bad.Code);
        Assert.Single(bad.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False((await RunJson("keys", "direct-use", keyId, "off", "--json")).GetProperty("directUse").GetBoolean());
    }

    [Fact]
    public async Task Keys_are_created_and_listed_test_or_live_and_an_unknown_environment_is_one_line_and_a_non_zero_exit()
    {
        var account = await world.CreateAccountAsync($"Cli env {Guid.NewGuid():N}"[..20], keyLimit: 10);
        var test = await RunJson("keys", "create", "--account", account.Id, "--scope", "invoices:read", "--name", "sandbox", "--environment", "test", "--json");
        var live = await RunJson("keys", "create", "--account", account.Id, "--scope", "invoices:read", "--name", "production", "--json");

        Assert.StartsWith("authsk_test_", test.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("test", test.GetProperty("key").GetProperty("environment").GetString());
        Assert.StartsWith("authsk_live_", live.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("live", live.GetProperty("key").GetProperty("environment").GetString());

        var testOnly = await Run("keys", "list", "--account", account.Id, "--environment", "test");
        Assert.Equal(0, testOnly.Code);
        Assert.Contains("ENV", testOnly.Out);
        Assert.Contains("sandbox", testOnly.Out);
        Assert.DoesNotContain("production", testOnly.Out);
        var shown = await Run("keys", "show", live.GetProperty("key").GetProperty("keyId").GetString()!);
        Assert.Contains("env:       live", shown.Out);

        var bad = await Run("keys", "create", "--account", account.Id, "--scope", "invoices:read", "--environment", "production");
        Assert.NotEqual(0, bad.Code);
        Assert.Equal("error: 'production' is not a key environment: use test or live. (see --help)", bad.Err.Trim());
        var badList = await Run("keys", "list", "--environment", "prod");
        Assert.NotEqual(0, badList.Code);
        Assert.Equal(2, (await Run("keys", "list", "--account", account.Id, "--json")).Out.Split("\"keyId\"").Length - 1);
    }

    [Fact]
    public async Task An_operator_marks_a_scope_live_only_from_the_cli_and_a_test_key_cannot_then_be_created_with_it()
    {
        var scope = $"cli-live-{Guid.NewGuid():N}"[..24];
        Assert.Equal(0, (await Run("scopes", "create", scope, "--resource", TestWorld.InvoicesApi, "--live-only")).Code);
        var listed = await Run("scopes", "list");
        Assert.Contains("live only", listed.Out.Split('\n').Single(line => line.StartsWith(scope, StringComparison.Ordinal)));

        var refused = await Run("keys", "create", "--account", world.Acme.Id, "--scope", scope, "--environment", "test");
        Assert.NotEqual(0, refused.Code);
        Assert.Equal($"error: The scope '{scope}' is for live keys only, and this is a test key. Use a live key, or a scope open to test keys.", refused.Err.Trim());

        var opened = await Run("scopes", "live-only", scope, "--off");
        Assert.Equal(0, opened.Code);
        Assert.Contains("open to test and live keys", opened.Out);
        Assert.Equal(0, (await Run("keys", "create", "--account", world.Acme.Id, "--scope", scope, "--environment", "test")).Code);
        var closed = await Run("scopes", "live-only", scope);
        Assert.Contains("now for live keys only", closed.Out);
        var unknown = await Run("scopes", "live-only", "no-such-scope");
        Assert.NotEqual(0, unknown.Code);
        Assert.Equal("error: No scope 'no-such-scope'.", unknown.Err.Trim());
    }

    private Task<JsonElement> RunJson(params string[] args) => CliInProcess.RunJsonAsync(world.Services, args);

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => CliInProcess.RunAsync(world.Services, args);
}
