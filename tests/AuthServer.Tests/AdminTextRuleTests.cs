using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// Every name, description and ID the admin API accepts follows one text rule, with the same 400 naming the field on
/// every database (PostgreSQL cannot store NUL: it used to answer 503 or a false 409).
/// </summary>
public abstract class AdminTextRuleTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    [Theory]
    [MemberData(nameof(AdminTextRuleCases.RefusedText), MemberType = typeof(AdminTextRuleCases))]
    public async Task Control_characters_and_bidirectional_overrides_are_refused_naming_the_field(string method, string route, string body, string field)
    {
        using var response = await world.AdminAsync(new HttpMethod(method), await PathAsync(route), world.OperatorToken, body);

        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), problem);
    }

    /// <summary>
    /// Kestrel and TestServer refuse <c>%00</c> in a path themselves, so the request is built with the decoded path, as
    /// a server that passes NUL through would hand it over.
    /// </summary>
    [Theory]
    [InlineData("GET", "/admin/v1/accounts/a\0b/keys")]
    [InlineData("GET", "/admin/v1/accounts/a\0b")]
    [InlineData("GET", "/admin/v1/accounts/{acme}/keys/ak_\0x")]
    [InlineData("POST", "/admin/v1/accounts/{acme}/keys/ak_\u001bx/revoke")]
    [InlineData("POST", "/admin/v1/resource-servers/a\0b/credentials")]
    public async Task An_id_in_the_route_with_a_nul_is_refused_not_taken_for_an_outage(string method, string route)
    {
        var path = await PathAsync(route);
        var context = await world.Factory.Server.SendAsync(request =>
        {
            request.Request.Method = method;
            request.Request.Scheme = "https";
            request.Request.Host = new Microsoft.AspNetCore.Http.HostString("localhost");
            request.Request.Path = path;
            request.Request.Headers.Authorization = $"Bearer {world.OperatorToken}";
        });

        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.True(context.Response.StatusCode is 400 or 404, $"expected 400 or 404, got {context.Response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task Ordinary_unicode_names_are_kept()
    {
        using var response = await world.AdminAsync(HttpMethod.Post, "/admin/v1/accounts", world.OperatorToken, new { name = "Ünïcødé 株式会社 🚀" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Ünïcødé 株式会社 🚀", (await response.ReadJsonAsync()).GetProperty("name").GetString());
    }

    private async Task<string> PathAsync(string route) => route
        .Replace("{acme}", world.Acme.Id, StringComparison.Ordinal)
        .Replace("{key}", route.Contains("{key}", StringComparison.Ordinal) ? (await world.CreateKeyAsync(["invoices:read"])).Key.KeyId : "", StringComparison.Ordinal);
}

/// <summary>Method, route, body and the field the 400 must name.</summary>
public static class AdminTextRuleCases
{
    public static TheoryData<string, string, string, string> RefusedText() => new()
    {
        { "POST", "/admin/v1/accounts", """{"name": "evil\u0000\u001b[2Jname"}""", "name" },
        { "POST", "/admin/v1/accounts", """{"name": "a\r\nb"}""", "name" },
        { "POST", "/admin/v1/accounts", """{"name": "invoice\u202Efdp.exe"}""", "name" },
        { "POST", "/admin/v1/accounts", """{"name": "half \ud800 pair"}""", "name" },
        { "POST", "/admin/v1/scopes", """{"name": "text:esc", "description": "clears \u001b[2J the screen", "resources": ["invoices-api"]}""", "description" },
        { "POST", "/admin/v1/scopes", """{"name": "text:nul", "description": "a\u0000b", "resources": ["invoices-api"]}""", "description" },
        { "POST", "/admin/v1/scopes", """{"name": "text:newline\n", "resources": ["invoices-api"]}""", "name" },
        { "POST", "/admin/v1/scopes", """{"name": "text:resource", "resources": ["invoices-api\u0000"]}""", "resources" },
        { "POST", "/admin/v1/resource-servers", """{"name": "text-nul", "description": "a\u0000b"}""", "description" },
        { "POST", "/admin/v1/resource-servers", """{"name": "text-c1", "description": "a\u0085b"}""", "description" },
        { "POST", "/admin/v1/resource-servers", """{"name": "text-newline\n"}""", "name" },
        { "POST", "/admin/v1/accounts/{acme}/keys", """{"name": "a\u0000b", "scopes": ["invoices:read"]}""", "name" },
        { "POST", "/admin/v1/accounts/{acme}/keys", """{"name": "a\u2066b", "scopes": ["invoices:read"]}""", "name" },
        { "POST", "/admin/v1/accounts/{acme}/keys", """{"scopes": ["invoices:read\u0000"]}""", "scopes" },
        { "PATCH", "/admin/v1/accounts/{acme}/keys/{key}", """{"name": "a\u007fb"}""", "name" },
    };
}

public sealed class AdminTextRuleTestsOnSqlite(AdminWorld world) : AdminTextRuleTests<AdminWorld>(world);

public sealed class AdminTextRuleTestsOnPostgreSql(PostgresAdminWorld world) : AdminTextRuleTests<PostgresAdminWorld>(world);
