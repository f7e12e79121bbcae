using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Every JSON shape an admin body does not allow is a 400 problem naming the field: never a 500, never silently taken.</summary>
public sealed class AdminBodyShapeTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    private const string Keys = "/admin/v1/accounts/{acme}/keys";
    private const string Key = "/admin/v1/accounts/{acme}/keys/{key}";
    private const string KeyLimit = "/admin/v1/accounts/{acme}/key-limit";

    public static TheoryData<string, string, string, string> IllShapedBodies() => new()
    {
        { "POST", Keys, """{"scopes": [null]}""", "scopes" },
        { "POST", Keys, """{"scopes": ["invoices:read", null]}""", "scopes" },
        { "POST", Keys, """{"scopes": null}""", "scopes" },
        { "POST", Keys, """{"scopes": "invoices:read"}""", "scopes" },
        { "POST", Keys, """{"scopes": [1]}""", "scopes" },
        { "POST", Keys, """{"scopes": [["invoices:read"]]}""", "scopes" },
        { "POST", Keys, """{"name": 5, "scopes": ["invoices:read"]}""", "name" },
        { "POST", Keys, """{"scopes": ["invoices:read"], "expiresAt": 5}""", "expiresAt" },
        { "POST", Keys, "null", "body" },
        { "POST", Keys, "[]", "body" },
        { "POST", Keys, "\"scopes\"", "body" },
        { "PATCH", Key, """{"name": null}""", "body" },
        { "PATCH", Key, """{"name": ["x"]}""", "name" },
        { "PATCH", Key, "null", "body" },
        { "POST", "/admin/v1/accounts", """{"name": null}""", "name" },
        { "POST", "/admin/v1/accounts", "{}", "name" },
        { "POST", "/admin/v1/accounts", """{"name": ["x"]}""", "name" },
        { "POST", "/admin/v1/accounts", """{"name": "x", "keyLimit": "many"}""", "keyLimit" },
        { "POST", "/admin/v1/accounts", """{"name": "x", "keyLimit": 1.5}""", "keyLimit" },
        { "POST", "/admin/v1/accounts", "null", "body" },
        { "PUT", KeyLimit, "{}", "keyLimit" },
        { "PUT", KeyLimit, """{"keyLimit": "x"}""", "keyLimit" },
        { "PUT", KeyLimit, """{"keyLimit": -1}""", "keyLimit" },
        { "PUT", KeyLimit, "null", "body" },
        { "POST", "/admin/v1/scopes", """{"name": "shape:a", "resources": [null]}""", "resources" },
        { "POST", "/admin/v1/scopes", """{"name": "shape:b", "resources": ["invoices-api", null]}""", "resources" },
        { "POST", "/admin/v1/scopes", """{"name": "shape:c", "resources": null}""", "resources" },
        { "POST", "/admin/v1/scopes", """{"name": null, "resources": ["invoices-api"]}""", "name" },
        { "POST", "/admin/v1/scopes", """{"name": "shape:d", "description": 5, "resources": ["invoices-api"]}""", "description" },
        { "POST", "/admin/v1/resource-servers", """{"name": null}""", "name" },
        { "POST", "/admin/v1/resource-servers", """{"name": "shape-a", "introspection": null}""", "introspection" },
        { "POST", "/admin/v1/resource-servers", """{"name": "shape-b", "description": []}""", "description" },
        { "POST", "/admin/v1/resource-servers", "null", "body" },
    };

    [Theory]
    [MemberData(nameof(IllShapedBodies))]
    public async Task A_body_of_a_shape_the_contract_does_not_allow_is_a_400_naming_the_field(string method, string route, string body, string field)
    {
        var path = route.Replace("{acme}", world.Other.Id, StringComparison.Ordinal);
        if (path.Contains("{key}", StringComparison.Ordinal))
        {
            path = path.Replace("{key}", (await world.CreateKeyAsync(["invoices:read"], accountId: world.Other.Id)).Key.KeyId, StringComparison.Ordinal);
        }

        using var response = await world.AdminAsync(new HttpMethod(method), path, world.OperatorToken, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadProblemAsync();
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), text);
    }

    [Fact]
    public async Task An_explicit_null_key_limit_returns_to_the_default_and_an_empty_body_changes_nothing()
    {
        var account = await world.CreateAccountAsync("Limit shapes", keyLimit: 7);
        var path = $"/admin/v1/accounts/{account.Id}/key-limit";

        using var empty = await world.AdminAsync(HttpMethod.Put, path, world.OperatorToken, "{}");
        var afterEmpty = await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{account.Id}", world.OperatorToken)).ReadJsonAsync();
        using var reset = await world.AdminAsync(HttpMethod.Put, path, world.OperatorToken, """{"keyLimit": null}""");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(7, afterEmpty.GetProperty("keyLimit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False((await reset.ReadJsonAsync()).GetProperty("hasOwnLimit").GetBoolean());
    }
}
