using System.Net;
using System.Text.Json;
using AuthServer.Admin;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public sealed class AdminAuditAndCatalogTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Fact]
    public async Task Every_key_change_is_audited_with_who_what_when_and_from_where_and_never_the_secret()
    {
        var account = await world.CreateAccountAsync("Audited", keyLimit: 10);
        var admin = await world.CreateKeyAsync([AdminScopes.ManageKeys], accountId: account.Id);
        var token = await world.Http.GetAccessTokenAsync(admin.Key.KeyId, admin.Secret);
        var keys = $"/admin/v1/accounts/{account.Id}/keys";

        var created = await (await world.AdminAsync(HttpMethod.Post, keys, token, new { name = "audited", scopes = new[] { "invoices:read" } })).ReadJsonAsync();
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        await world.AdminAsync(HttpMethod.Patch, $"{keys}/{keyId}", token, new { name = "audited, renamed" });
        await world.AdminAsync(HttpMethod.Post, $"{keys}/{keyId}/revoke", token);

        using var response = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{account.Id}/audit", token);
        var raw = await response.Content.ReadAsStringAsync();
        var entries = JsonDocument.Parse(raw).RootElement.GetProperty("items").EnumerateArray().ToList();

        var forKey = entries.Where(e => e.GetProperty("subject").GetString() == keyId).Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["key.revoked", "key.renamed", "key.created"], forKey);
        var creation = entries.Single(e => e.GetProperty("action").GetString() == "key.created" && e.GetProperty("subject").GetString() == keyId);
        Assert.Equal(admin.Key.KeyId, creation.GetProperty("actor").GetString());
        Assert.False(string.IsNullOrEmpty(creation.GetProperty("actorAddress").GetString()));
        Assert.InRange(creation.GetProperty("at").GetDateTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow);
        Assert.Equal("audited", creation.GetProperty("details").GetProperty("name").GetString());
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain(secret[7..20], raw);
        Assert.All(entries, e => Assert.Equal(account.Id, e.GetProperty("accountId").GetString()));
    }

    [Fact]
    public async Task Operators_see_the_whole_audit_log_including_server_wide_changes()
    {
        var name = $"audited-api-{Guid.NewGuid():N}";
        await world.AdminAsync(HttpMethod.Post, "/admin/v1/resource-servers", world.OperatorToken, new { name });

        var all = await (await world.AdminAsync(HttpMethod.Get, "/admin/v1/audit?take=200", world.OperatorToken)).ReadJsonAsync();

        Assert.Contains(all.GetProperty("items").EnumerateArray(), e =>
            e.GetProperty("action").GetString() == "resource_server.created" && e.GetProperty("subject").GetString() == name);
    }

    [Fact]
    public async Task Operators_define_resource_servers_and_scopes_that_keys_can_then_use()
    {
        var api = $"catalog-{Guid.NewGuid():N}"[..20];
        var scope = $"{api}:read";

        using var resource = await world.AdminAsync(HttpMethod.Post, "/admin/v1/resource-servers", world.OperatorToken,
            new { name = api, description = "Catalog test", introspection = true });
        using var created = await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken,
            new { name = scope, description = "Read", resources = new[] { api } });
        var key = await world.CreateKeyAsync([scope]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.Created, resource.StatusCode);
        Assert.Equal("no-store", resource.Headers.CacheControl?.ToString());
        var credentials = (await resource.ReadJsonAsync()).GetProperty("credentials");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var introspection = await world.Http.IntrospectAsync(credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!, token);
        Assert.True(introspection.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Catalog_bad_input_names_the_field()
    {
        var existing = world.Invoices.ClientId;

        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken, new { name = "x:y", resources = new[] { "nowhere" } }), 400, "resources");
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken, new { name = "has space", resources = new[] { existing } }), 400, "name");
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken, new { resources = new[] { existing } }), 400, "name");
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", world.OperatorToken, new { name = "invoices:read", resources = new[] { existing } }), 409, null);
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/resource-servers", world.OperatorToken, new { name = existing }), 409, null);
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/resource-servers/nowhere/credentials", world.OperatorToken), 404, null);
        await AssertProblem(await world.AdminAsync(HttpMethod.Post, "/admin/v1/accounts", world.OperatorToken, new { name = "" }), 400, "name");
        await AssertProblem(await world.AdminAsync(HttpMethod.Put, $"/admin/v1/accounts/{world.Acme.Id}/key-limit", world.OperatorToken, new { keyLimit = -5 }), 400, "keyLimit");
        await AssertProblem(await world.AdminAsync(HttpMethod.Put, "/admin/v1/accounts/acct_nope/key-limit", world.OperatorToken, new { keyLimit = 5 }), 404, null);
    }

    [Fact]
    public async Task An_operator_sets_and_resets_an_account_limit()
    {
        var account = await world.CreateAccountAsync("Limit via API");

        var raised = await (await world.AdminAsync(HttpMethod.Put, $"/admin/v1/accounts/{account.Id}/key-limit", world.OperatorToken, new { keyLimit = 7 })).ReadJsonAsync();
        var reset = await (await world.AdminAsync(HttpMethod.Put, $"/admin/v1/accounts/{account.Id}/key-limit", world.OperatorToken, new { keyLimit = (int?)null })).ReadJsonAsync();

        Assert.Equal(7, raised.GetProperty("keyLimit").GetInt32());
        Assert.Equal(3, reset.GetProperty("keyLimit").GetInt32());
        Assert.False(reset.GetProperty("hasOwnLimit").GetBoolean());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api_and_how_to_authenticate()
    {
        using var response = await world.Http.GetAsync("/openapi/admin.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.ReadJsonAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/admin/v1/accounts/{accountId}/keys", paths);
        Assert.Contains("/admin/v1/accounts/{accountId}/keys/{keyId}/revoke", paths);
        Assert.All(paths, p => Assert.StartsWith("/admin/v1/", p));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("authserver");
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        var flow = scheme.GetProperty("flows").GetProperty("clientCredentials");
        Assert.Equal("/connect/token", flow.GetProperty("tokenUrl").GetString());
        Assert.True(flow.GetProperty("scopes").TryGetProperty(AdminScopes.Operator, out _));
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string? field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        response.Dispose();
    }
}
