using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Key environments and live-only scopes through the admin API: creation, the list filter, the per-environment limit.</summary>
public sealed class AdminKeyEnvironmentTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Fact]
    public async Task A_key_is_created_test_or_live_and_without_a_choice_it_is_live()
    {
        var account = await world.CreateAccountAsync($"Env {Guid.NewGuid():N}"[..20], keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";

        var test = await CreateAsync(path, new { name = "sandbox", scopes = new[] { "invoices:read" }, environment = "test" });
        var live = await CreateAsync(path, new { name = "prod", scopes = new[] { "invoices:read" }, environment = "live" });
        var unnamed = await CreateAsync(path, new { name = "default", scopes = new[] { "invoices:read" } });

        Assert.Equal("test", test.GetProperty("key").GetProperty("environment").GetString());
        Assert.StartsWith("authsk_test_", test.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("authsk_test_...", test.GetProperty("key").GetProperty("secretHint").GetString(), StringComparison.Ordinal);
        Assert.Equal("live", live.GetProperty("key").GetProperty("environment").GetString());
        Assert.StartsWith("authsk_live_", live.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("live", unnamed.GetProperty("key").GetProperty("environment").GetString());
        Assert.StartsWith("authsk_live_", unnamed.GetProperty("secret").GetString(), StringComparison.Ordinal);
        using var shown = await world.AdminAsync(HttpMethod.Get, $"{path}/{test.GetProperty("key").GetProperty("keyId").GetString()}", world.AdministratorToken);
        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode); // another account's key: Acme's administrator does not see it
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("TEST")]
    [InlineData("")]
    public async Task An_unknown_environment_is_a_400_naming_the_field_and_creates_nothing(string environment)
    {
        var account = await world.CreateAccountAsync($"Bad {Guid.NewGuid():N}"[..20], keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";

        using var response = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { scopes = new[] { "invoices:read" }, environment });

        await AssertFieldErrorAsync(response, "environment", "environment is test or live.");
        using var list = await world.AdminAsync(HttpMethod.Get, path, world.OperatorToken);
        Assert.Equal(0, (await list.ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_idempotent_retry_must_name_the_same_environment_and_live_is_the_same_as_none()
    {
        var account = await world.CreateAccountAsync($"Idem {Guid.NewGuid():N}"[..20], keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        var body = new { name = "retried", scopes = new[] { "invoices:read" } };

        using var first = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, body, idempotencyKey: "env-1");
        using var sameAsLive = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken,
            new { name = "retried", scopes = new[] { "invoices:read" }, environment = "live" }, idempotencyKey: "env-1");
        using var asTest = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken,
            new { name = "retried", scopes = new[] { "invoices:read" }, environment = "test" }, idempotencyKey: "env-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameAsLive.StatusCode);
        Assert.True((await sameAsLive.ReadJsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal((HttpStatusCode)422, asTest.StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_environment_and_refuses_an_unknown_one()
    {
        var account = await world.CreateAccountAsync($"List {Guid.NewGuid():N}"[..20], keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        await CreateAsync(path, new { name = "t1", scopes = new[] { "invoices:read" }, environment = "test" });
        await CreateAsync(path, new { name = "l1", scopes = new[] { "invoices:read" } });
        await CreateAsync(path, new { name = "t2", scopes = new[] { "invoices:read" }, environment = "test" });

        Assert.Equal(["t2", "t1"], await NamesAsync($"{path}?environment=test"));
        Assert.Equal(["l1"], await NamesAsync($"{path}?environment=live"));
        Assert.Equal(["t2", "l1", "t1"], await NamesAsync(path));
        Assert.Equal(["t2", "t1"], await NamesAsync($"{path}?environment=test&status=active"));
        using var bad = await world.AdminAsync(HttpMethod.Get, $"{path}?environment=production", world.OperatorToken);
        await AssertFieldErrorAsync(bad, "environment", "environment is test or live.");
    }

    [Fact]
    public async Task The_active_key_limit_counts_each_environment_apart()
    {
        var account = await world.CreateAccountAsync($"Limit {Guid.NewGuid():N}"[..20], keyLimit: 1);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        await CreateAsync(path, new { scopes = new[] { "invoices:read" } });
        await CreateAsync(path, new { scopes = new[] { "invoices:read" }, environment = "test" });

        using var overTest = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { scopes = new[] { "invoices:read" }, environment = "test" });
        using var overLive = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { scopes = new[] { "invoices:read" }, environment = "live" });

        Assert.Equal(HttpStatusCode.Conflict, overTest.StatusCode);
        var problem = await overTest.ReadProblemAsync();
        Assert.Equal("test", problem.GetProperty("environment").GetString());
        Assert.Equal(1, problem.GetProperty("limit").GetInt32());
        Assert.Equal(1, problem.GetProperty("activeKeys").GetInt32());
        Assert.Contains("1 active test keys; its limit is 1 per environment", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, overLive.StatusCode);
        Assert.Equal("live", (await overLive.ReadProblemAsync()).GetProperty("environment").GetString());
        using var shown = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{account.Id}", world.OperatorToken);
        var view = await shown.ReadJsonAsync();
        Assert.Equal(1, view.GetProperty("activeKeys").GetInt32());
        Assert.Equal(1, view.GetProperty("activeTestKeys").GetInt32());
    }

    [Fact]
    public async Task A_live_only_scope_refuses_test_keys_at_creation_with_a_clear_error_until_an_operator_opens_it()
    {
        var scope = $"live-{Guid.NewGuid():N}"[..20];
        var path = $"/admin/v1/accounts/{world.Acme.Id}/keys";
        using (var created = await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken,
            new { name = scope, resources = new[] { TestWorld.InvoicesApi }, liveOnly = true }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.True((await created.ReadJsonAsync()).GetProperty("liveOnly").GetBoolean());
        }

        using (var refused = await world.AdminAsync(HttpMethod.Post, path, world.AdministratorToken, new { scopes = new[] { scope }, environment = "test" }))
        {
            await AssertFieldErrorAsync(refused, "scopes", $"The scope '{scope}' is for live keys only, and this is a test key.");
        }

        await CreateAsync(path, new { scopes = new[] { scope }, environment = "live" }, world.AdministratorToken);
        using (var listed = await world.AdminAsync(HttpMethod.Get, "/admin/v1/scopes", world.ViewerToken))
        {
            var entry = (await listed.ReadJsonAsync()).EnumerateArray().Single(s => s.GetProperty("name").GetString() == scope);
            Assert.True(entry.GetProperty("liveOnly").GetBoolean());
        }

        using (var opened = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, new { liveOnly = false }))
        {
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            Assert.False((await opened.ReadJsonAsync()).GetProperty("liveOnly").GetBoolean());
        }

        await CreateAsync(path, new { scopes = new[] { scope }, environment = "test" }, world.AdministratorToken);
        using (var closed = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, new { liveOnly = true }))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            Assert.True((await closed.ReadJsonAsync()).GetProperty("liveOnly").GetBoolean());
        }

        using var audit = await world.AdminAsync(HttpMethod.Get, "/admin/v1/audit?take=200", world.OperatorToken);
        var actions = (await audit.ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString() == scope).Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["scope.marked_live_only", "scope.opened_to_test_keys", "scope.created"], actions);
    }

    [Fact]
    public async Task Marking_a_scope_needs_an_operator_a_known_scope_and_a_liveOnly_value()
    {
        var scope = $"mark-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);

        using var byAdministrator = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.AdministratorToken, new { liveOnly = true });
        using var unknown = await world.AdminAsync(HttpMethod.Patch, "/admin/v1/scopes/no-such-scope", world.OperatorToken, new { liveOnly = true });
        using var empty = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, "{}");
        using var typo = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, new { liveonly = true, resources = new[] { "x" } });
        using var nullValue = await world.AdminAsync(HttpMethod.Patch, $"/admin/v1/scopes/{scope}", world.OperatorToken, """{"liveOnly":null}""");

        Assert.Equal(HttpStatusCode.Forbidden, byAdministrator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        await AssertFieldErrorAsync(nullValue, "body", "Nothing to change: give liveOnly and/or publishable (true or false)."); // null: unchanged
        using var listed = await world.AdminAsync(HttpMethod.Get, "/admin/v1/scopes", world.OperatorToken);
        Assert.False((await listed.ReadJsonAsync()).EnumerateArray().Single(s => s.GetProperty("name").GetString() == scope).GetProperty("liveOnly").GetBoolean());
    }

    private async Task<JsonElement> CreateAsync(string path, object body, string? token = null)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, path, token ?? world.OperatorToken, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<List<string?>> NamesAsync(string path)
    {
        using var response = await world.AdminAsync(HttpMethod.Get, path, world.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(messagePart, StringComparison.Ordinal));
    }
}
