using System.Collections;
using System.Net.Http.Headers;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Contract;

/// <summary>A client generated from <c>/openapi/admin.json</c> works against the running server: create, list, revoke, and a refusal.</summary>
public sealed class GeneratedAdminClientTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Fact]
    public async Task A_client_generated_from_the_document_creates_lists_and_revokes_a_key()
    {
        using var document = await world.Http.GetAsync("/openapi/admin.json");
        var code = GeneratedAdminClient.GenerateCode(await document.Content.ReadAsStringAsync());
        using var http = world.Factory.CreateHttpsClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.AdministratorToken);
        var client = GeneratedAdminClient.Compile(code, http);
        var account = new Dictionary<string, object?> { ["accountId"] = world.Acme.Id };

        var body = client.Model("CreateKeyBody", new Dictionary<string, object?> { ["Name"] = "generated-client", ["Scopes"] = new List<string> { "invoices:read" } });
        var created = await client.CallAsync("CreateKey", new Dictionary<string, object?>(account) { ["body"] = body });
        var key = GeneratedAdminClient.Get(created, "Key");
        var keyId = (string)GeneratedAdminClient.Get(key, "KeyId")!;
        var listed = await client.CallAsync("ListKeys", account);
        var revoked = await client.CallAsync("RevokeKey", new Dictionary<string, object?>(account) { ["keyId"] = keyId });
        var again = await Assert.ThrowsAnyAsync<Exception>(() => client.CallAsync("RevokeKey", new Dictionary<string, object?>(account) { ["keyId"] = keyId }));

        Assert.StartsWith("authsk_", (string)GeneratedAdminClient.Get(created, "Secret")!);
        Assert.Contains(((IEnumerable)GeneratedAdminClient.Get(listed, "Items")!).Cast<object>(), item => (string)GeneratedAdminClient.Get(item, "KeyId")! == keyId);
        Assert.Equal("Revoked", GeneratedAdminClient.Get(revoked, "Status")!.ToString());
        Assert.Equal(409, GeneratedAdminClient.Get(again, "StatusCode"));
        Assert.Equal("Conflict", GeneratedAdminClient.Get(GeneratedAdminClient.Get(again, "Result"), "Title"));
    }
}
