using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Contract;

/// <summary>The document as a client fetches it from a running server.</summary>
internal static class AdminOpenApiDocument
{
    public static async Task<string> FetchAsync(string environment = "Testing")
    {
        await using var factory = new AuthServerFactory(environment: environment);
        using var http = factory.CreateHttpsClient();
        using var response = await http.GetAsync("/openapi/admin.json");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task<JsonElement> ParsedAsync() => JsonDocument.Parse(await FetchAsync()).RootElement;
}
