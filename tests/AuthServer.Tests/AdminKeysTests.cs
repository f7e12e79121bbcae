using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.Admin;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public abstract class AdminKeysTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    private static string KeysPath(string accountId) => $"/admin/v1/accounts/{accountId}/keys";

    [Fact]
    public async Task An_administrator_creates_a_key_whose_secret_is_shown_once_and_works()
    {
        using var response = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.AdministratorToken,
            new { name = "from the api", scopes = new[] { "invoices:read" }, expiresAt = DateTime.UtcNow.AddDays(30) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.ReadJsonAsync();
        var keyId = body.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Equal($"/admin/v1/accounts/{world.Acme.Id}/keys/{keyId}", response.Headers.Location?.ToString());
        Assert.False(body.GetProperty("replayed").GetBoolean());
        Assert.Equal("active", body.GetProperty("key").GetProperty("status").GetString(), ignoreCase: true);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(keyId, secret)).StatusCode);

        using var get = await world.AdminAsync(HttpMethod.Get, $"{KeysPath(world.Acme.Id)}/{keyId}", world.ViewerToken);
        using var list = await world.AdminAsync(HttpMethod.Get, KeysPath(world.Acme.Id), world.ViewerToken);
        var shown = await get.Content.ReadAsStringAsync() + await list.Content.ReadAsStringAsync();
        Assert.Contains(keyId, shown);
        Assert.DoesNotContain(secret, shown);
        Assert.Contains("authsk_live_...", shown);
    }

    [Fact]
    public async Task Listing_pages_and_filters_by_status()
    {
        var account = await world.CreateAccountAsync("Paged", keyLimit: 100);
        for (var i = 0; i < 5; i++)
        {
            await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        }

        var revoked = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        await world.RevokeKeyAsync(revoked.Key.KeyId);

        var first = await (await world.AdminAsync(HttpMethod.Get, $"{KeysPath(account.Id)}?take=4", world.OperatorToken)).ReadJsonAsync();
        var second = await (await world.AdminAsync(HttpMethod.Get, $"{KeysPath(account.Id)}?skip=4&take=4", world.OperatorToken)).ReadJsonAsync();
        var onlyRevoked = await (await world.AdminAsync(HttpMethod.Get, $"{KeysPath(account.Id)}?status=revoked", world.OperatorToken)).ReadJsonAsync();

        Assert.Equal(4, first.GetProperty("items").GetArrayLength());
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(2, second.GetProperty("items").GetArrayLength());
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Equal(revoked.Key.KeyId, onlyRevoked.GetProperty("items")[0].GetProperty("keyId").GetString());
        Assert.Equal(1, onlyRevoked.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Rename_extend_and_revoke_over_http()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddDays(1));
        var path = $"{KeysPath(world.Acme.Id)}/{key.Key.KeyId}";
        var newExpiry = DateTime.UtcNow.AddDays(20);

        using var patch = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { name = "renamed", expiresAt = newExpiry });
        using var revoke = await world.AdminAsync(HttpMethod.Post, $"{path}/revoke", world.AdministratorToken);
        using var again = await world.AdminAsync(HttpMethod.Post, $"{path}/revoke", world.AdministratorToken);

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var patched = await patch.ReadJsonAsync();
        Assert.Equal("renamed", patched.GetProperty("name").GetString());
        Assert.Equal(newExpiry, patched.GetProperty("expiresAt").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Equal("revoked", (await revoke.ReadJsonAsync()).GetProperty("status").GetString(), ignoreCase: true);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Direct_use_is_chosen_at_creation_and_changed_by_patch_and_a_wrong_value_is_a_field_error()
    {
        using var created = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.AdministratorToken,
            new { name = "oauth only", scopes = new[] { "invoices:read" }, directUse = false });
        var body = await created.ReadJsonAsync();
        var keyId = body.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = body.GetProperty("secret").GetString()!;
        var path = $"{KeysPath(world.Acme.Id)}/{keyId}";
        Assert.False(body.GetProperty("key").GetProperty("directUse").GetBoolean());
        Assert.False(await DirectlyActiveAsync(secret));

        using var allow = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { directUse = true });
        using var wrong = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { directUse = "yes" });
        using var byViewer = await world.AdminAsync(HttpMethod.Patch, path, world.ViewerToken, new { directUse = false });

        Assert.True((await allow.ReadJsonAsync()).GetProperty("directUse").GetBoolean());
        Assert.True(await DirectlyActiveAsync(secret));
        await AssertFieldError(wrong, "directUse", "");
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.True((await (await world.AdminAsync(HttpMethod.Get, path, world.ViewerToken)).ReadJsonAsync()).GetProperty("directUse").GetBoolean());
        using var byDefault = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.AdministratorToken, new { scopes = new[] { "invoices:read" } });
        Assert.True((await byDefault.ReadJsonAsync()).GetProperty("key").GetProperty("directUse").GetBoolean());
    }

    private async Task<bool> DirectlyActiveAsync(string secret)
    {
        using var response = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, secret, "api_key");
        return (await response.ReadJsonAsync()).GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task Scopes_and_secret_cannot_be_changed_and_a_failed_patch_changes_nothing()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], name: "fixed", expiresAt: DateTime.UtcNow.AddDays(5));
        var path = $"{KeysPath(world.Acme.Id)}/{key.Key.KeyId}";

        using var scopes = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { scopes = new[] { "invoices:write" } });
        using var secret = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { secret = "authsk_x" });
        using var halfBad = await world.AdminAsync(HttpMethod.Patch, path, world.AdministratorToken, new { name = "changed", expiresAt = DateTime.UtcNow.AddDays(-1) });

        await AssertFieldError(scopes, "scopes", "fixed at creation");
        await AssertFieldError(secret, "secret", "roll it");
        await AssertFieldError(halfBad, "expiresAt", "future");
        var stored = await (await world.AdminAsync(HttpMethod.Get, path, world.ViewerToken)).ReadJsonAsync();
        Assert.Equal("fixed", stored.GetProperty("name").GetString());
        Assert.Equal(["invoices:read"], stored.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_that_name_the_field()
    {
        var path = KeysPath(world.Acme.Id);
        var token = world.AdministratorToken;

        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, new { scopes = new[] { "no:such" } }), "scopes", "Unknown scope");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, new { scopes = Array.Empty<string>() }), "scopes", "at least one");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, new { scopes = new[] { "invoices:read" }, expiresAt = DateTime.UtcNow.AddDays(-1) }), "expiresAt", "future");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, new { scopes = new[] { "invoices:read" }, name = new string('n', 101) }), "name", "at most 100");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, "{\"scopes\": [\"invoices:read\""), "body", "not valid JSON");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, "{\"scopes\": [\"invoices:read\"], \"expiresAt\": \"soon\"}"), "expiresAt", "wrong type or format");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Post, path, token, "{\"scope\": [\"invoices:read\"]}"), "scope", "Unknown field");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Get, $"{path}?take=0", token), "take", "between 1 and 200");

        using var plainText = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("name=x") };
        plainText.Headers.Authorization = new("Bearer", token);
        using var unsupported = await world.Http.SendAsync(plainText);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal("application/problem+json", unsupported.Content.Headers.ContentType?.MediaType);

        using var unknown = await world.AdminAsync(HttpMethod.Get, $"{path}/ak_0000000000000000", token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Only_operators_may_create_operator_keys()
    {
        using var byAdministrator = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.AdministratorToken,
            new { scopes = new[] { AdminScopes.Operator } });
        using var byOperator = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.OperatorToken,
            new { scopes = new[] { AdminScopes.Operator } });

        Assert.Equal(HttpStatusCode.Forbidden, byAdministrator.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byOperator.StatusCode);
    }

    [Theory]
    [InlineData("admin:operator ")]
    [InlineData(" admin:operator")]
    [InlineData("admin:operator\t")]
    [InlineData("\u00a0admin:operator")]
    public async Task A_scope_name_with_whitespace_is_refused_not_trimmed_into_another_scope(string padded)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, KeysPath(world.Acme.Id), world.AdministratorToken,
            new { scopes = new[] { padded } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadProblemAsync()).GetProperty("errors").TryGetProperty("scopes", out _));
    }

    [Fact]
    public async Task A_revoked_admin_key_loses_access_at_once()
    {
        var admin = await world.CreateKeyAsync([AdminScopes.ManageKeys]);
        var token = await world.Http.GetAccessTokenAsync(admin.Key.KeyId, admin.Secret);
        Assert.Equal(HttpStatusCode.OK, (await world.AdminAsync(HttpMethod.Get, KeysPath(world.Acme.Id), token)).StatusCode);

        await world.RevokeKeyAsync(admin.Key.KeyId);

        using var after = await world.AdminAsync(HttpMethod.Get, KeysPath(world.Acme.Id), token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("invalid_token", after.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_admin_token_in_the_query_string_or_form_is_ignored()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var query = await world.Http.GetAsync($"{KeysPath(world.Acme.Id)}?access_token={world.ViewerToken}");
        using var form = await world.Http.PostAsync($"{KeysPath(world.Acme.Id)}/{key.Key.KeyId}/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = world.AdministratorToken }));

        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, form.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_api_is_refused()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        using var response = await world.AdminAsync(HttpMethod.Get, KeysPath(world.Acme.Id), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertFieldError(HttpResponseMessage response, string field, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(messagePart, StringComparison.Ordinal));
        response.Dispose();
    }
}

public sealed class AdminKeysTestsOnSqlite(AdminWorld world) : AdminKeysTests<AdminWorld>(world);

public sealed class AdminKeysTestsOnPostgreSql(PostgresAdminWorld world) : AdminKeysTests<PostgresAdminWorld>(world);
