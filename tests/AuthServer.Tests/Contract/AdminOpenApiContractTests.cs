using System.Text.Json;
using AuthServer.Admin;

namespace AuthServer.Tests.Contract;

/// <summary>What a code generator and a reviewer read in <c>/openapi/admin.json</c>.</summary>
public sealed class AdminOpenApiContractTests
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task Each_operation_names_the_scopes_that_may_call_it_and_none_are_required_all_at_once()
    {
        var document = await AdminOpenApiDocument.ParsedAsync();

        Assert.False(document.TryGetProperty("security", out _), "a document-wide requirement listing every admin scope would require all of them");
        Assert.All(Operations(document), operation => Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0,
            $"{Id(operation)} names no scope: its endpoint declares no AdminAccess (RequireAdmin)"));
        Assert.Equal([AdminScopes.Operator], AcceptedScopes(Operation(document, "CreateAccount")));
        Assert.Equal([AdminScopes.ManageKeys, AdminScopes.Operator], AcceptedScopes(Operation(document, "CreateKey")));
        Assert.Equal([AdminScopes.ReadKeys, AdminScopes.ManageKeys, AdminScopes.Operator], AcceptedScopes(Operation(document, "ListKeys")));
        Assert.Equal([AdminScopes.ReadKeys, AdminScopes.ManageKeys, AdminScopes.Operator], AcceptedScopes(Operation(document, "ListScopes")));
        Assert.Equal([AdminScopes.Operator], AcceptedScopes(Operation(document, "IssueResourceServerCredentials")));
    }

    [Fact]
    public async Task Every_operation_declares_its_refusals_as_problem_details()
    {
        var document = await AdminOpenApiDocument.ParsedAsync();
        var operations = Operations(document).ToList();

        Assert.Equal(34, operations.Count); // every admin endpoint (AdminAuthorizationMatrixTests lists them)
        Assert.All(operations, operation =>
        {
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "401", "403", "503" })
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{Id(operation)} has no {status}");
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{Id(operation)} {status} is not a problem");
            }
        });
        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "422", "503"], Statuses(Operation(document, "CreateKey")));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "503"], Statuses(Operation(document, "RevokeKey")));
        Assert.Equal(["200", "401", "403", "503"], Statuses(Operation(document, "ListScopes")));
        var problem = document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        Assert.Equal(["detail", "instance", "status", "title", "type"], problem.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Request_bodies_require_what_the_server_requires_and_have_an_example()
    {
        var document = await AdminOpenApiDocument.ParsedAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.Equal(["scopes"], Required(schemas.GetProperty("CreateKeyBody")));
        Assert.Empty(Required(schemas.GetProperty("UpdateKeyBody")));
        Assert.Equal(["directUse", "expiresAt", "name"], schemas.GetProperty("UpdateKeyBody").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["name"], Required(schemas.GetProperty("CreateAccountBody")));
        Assert.Equal(["keyLimit"], Required(schemas.GetProperty("SetKeyLimitBody")));
        Assert.Equal(["name", "resources"], Required(schemas.GetProperty("CreateScopeBody")));
        Assert.Equal(["name"], Required(schemas.GetProperty("CreateResourceServerBody")));
        Assert.Equal("string", schemas.GetProperty("CreateAccountBody").GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
        Assert.All(Operations(document).Where(o => o.TryGetProperty("requestBody", out _)), operation =>
            Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _),
                $"{Id(operation)} has no example body"));
    }

    [Fact]
    public async Task Key_status_is_an_enum_and_every_parameter_is_described()
    {
        var document = await AdminOpenApiDocument.ParsedAsync();

        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("ApiKeyStatus");
        Assert.Equal("string", status.GetProperty("type").GetString());
        Assert.Equal(["active", "expired", "revoked"], status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var statusParameter = Operation(document, "ListKeys").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status");
        Assert.Equal("#/components/schemas/ApiKeyStatus", statusParameter.GetProperty("schema").GetProperty("$ref").GetString());
        Assert.All(Operations(document).SelectMany(o => o.TryGetProperty("parameters", out var p) ? p.EnumerateArray() : default), parameter =>
            Assert.False(string.IsNullOrWhiteSpace(parameter.TryGetProperty("description", out var d) ? d.GetString() : null), parameter.ToString()));
    }

    private static IEnumerable<JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)).Select(o => o.Value));

    private static JsonElement Operation(JsonElement document, string id) => Operations(document).Single(o => Id(o) == id);

    private static string? Id(JsonElement operation) => operation.GetProperty("operationId").GetString();

    private static List<string> AcceptedScopes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(requirement => requirement.GetProperty("authserver").EnumerateArray()).Select(s => s.GetString()!)];

    private static List<string> Statuses(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal)];

    private static List<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal)] : [];
}
