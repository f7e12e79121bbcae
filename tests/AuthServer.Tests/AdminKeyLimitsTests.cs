using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>A key's limits through the admin API: set at creation, replaced by PUT …/limits, audited, bad input a 400 naming the field.</summary>
public sealed class AdminKeyLimitsTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    private string KeysPath => $"/admin/v1/accounts/{world.Acme.Id}/keys";

    [Fact]
    public async Task A_key_created_with_limits_shows_them_and_holds_them_at_the_token_endpoint()
    {
        using var response = await world.AdminAsync(HttpMethod.Post, KeysPath, world.AdministratorToken,
            new { scopes = new[] { "invoices:read" }, tokensPerMinute = 1, allowedAddresses = new[] { "203.0.113.0/24", "2001:DB8::/32" } });
        var created = await response.ReadJsonAsync();
        var key = created.GetProperty("key");
        var keyId = key.GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, key.GetProperty("tokensPerMinute").GetInt32());
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], key.GetProperty("allowedAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenFromAsync("198.51.100.1", keyId, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenFromAsync("203.0.113.5", keyId, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await world.Http.RequestTokenFromAsync("203.0.113.5", keyId, secret)).StatusCode);
    }

    [Fact]
    public async Task Changing_a_keys_limits_is_audited_with_before_and_after_and_is_a_lifecycle_event()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var path = $"{KeysPath}/{key.Key.KeyId}/limits";

        using var changed = await world.AdminAsync(HttpMethod.Put, path, world.AdministratorToken, new { tokensPerMinute = 120, allowedAddresses = new[] { "10.1.0.0/16" } });
        using var again = await world.AdminAsync(HttpMethod.Put, path, world.AdministratorToken, new { tokensPerMinute = 120, allowedAddresses = new[] { "10.1.0.0/16" } });
        using var cleared = await world.AdminAsync(HttpMethod.Put, path, world.AdministratorToken, new { tokensPerMinute = (int?)null, allowedAddresses = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(120, (await changed.ReadJsonAsync()).GetProperty("tokensPerMinute").GetInt32());
        var view = await cleared.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, view.GetProperty("tokensPerMinute").ValueKind);
        Assert.Equal(0, view.GetProperty("allowedAddresses").GetArrayLength());
        var audit = await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/audit?take=200", world.OperatorToken)).ReadJsonAsync();
        var entries = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString() == key.Key.KeyId && e.GetProperty("action").GetString() == "key.limits_changed").ToList();
        Assert.Equal(2, entries.Count); // the repeat changed nothing
        var first = entries.Last().GetProperty("details");
        Assert.Equal(JsonValueKind.Null, first.GetProperty("from").GetProperty("tokensPerMinute").ValueKind);
        Assert.Equal(120, first.GetProperty("to").GetProperty("tokensPerMinute").GetInt32());
        Assert.Equal("10.1.0.0/16", first.GetProperty("to").GetProperty("allowedAddresses")[0].GetString());
        var events = await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events?take=200", world.OperatorToken)).ReadJsonAsync();
        Assert.Equal(2, events.GetProperty("items").EnumerateArray()
            .Count(e => e.GetProperty("keyId").GetString() == key.Key.KeyId && e.GetProperty("type").GetString() == "key.limits_changed"));
    }

    [Theory]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["10.0.0.0/33"]}""", "allowedAddresses", "prefix length")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["2001:db8::/129"]}""", "allowedAddresses", "0 to 128")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["10.0.0.300/8"]}""", "allowedAddresses", "not an IP address")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["10.1"]}""", "allowedAddresses", "not an IP address")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["example.com"]}""", "allowedAddresses", "not an IP address")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["10.0.0.1/8"]}""", "allowedAddresses", "did you mean 10.0.0.0/8")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["10.0.0.0/-1"]}""", "allowedAddresses", "prefix length")]
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["  "]}""", "allowedAddresses", "entry is empty")] // not "any address"
    [InlineData("""{"tokensPerMinute":null,"allowedAddresses":["203.0.113.0/24",""]}""", "allowedAddresses", "entry is empty")]
    [InlineData("""{"tokensPerMinute":0,"allowedAddresses":[]}""", "tokensPerMinute", "1 to 100000")]
    [InlineData("""{"tokensPerMinute":-5,"allowedAddresses":[]}""", "tokensPerMinute", "1 to 100000")]
    [InlineData("""{"tokensPerMinute":100001,"allowedAddresses":[]}""", "tokensPerMinute", "1 to 100000")]
    public async Task Bad_limits_are_a_400_naming_the_field(string body, string field, string messagePart)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        await AssertFieldError(await PutRawAsync($"{KeysPath}/{key.Key.KeyId}/limits", body), field, messagePart);
    }

    [Fact]
    public async Task Too_many_allow_list_entries_are_a_400_and_so_is_a_rate_too_big_for_a_number_or_a_missing_field()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var path = $"{KeysPath}/{key.Key.KeyId}/limits";
        var many = Enumerable.Range(0, 51).Select(i => $"10.0.{i}.0/24").ToArray();
        var copies = Enumerable.Repeat("203.0.113.7", 400_000).ToArray(); // counted as given, not after duplicates are dropped

        await AssertFieldError(await world.AdminAsync(HttpMethod.Put, path, world.AdministratorToken, new { tokensPerMinute = 10, allowedAddresses = many }),
            "allowedAddresses", "at most 50");
        await AssertFieldError(await world.AdminAsync(HttpMethod.Put, path, world.AdministratorToken, new { tokensPerMinute = 10, allowedAddresses = copies }),
            "allowedAddresses", "at most 50");
        using var huge = await PutRawAsync(path, """{"tokensPerMinute":99999999999999,"allowedAddresses":[]}""");
        using var missing = await PutRawAsync(path, """{"tokensPerMinute":10}""");
        using var creation = await world.AdminAsync(HttpMethod.Post, KeysPath, world.AdministratorToken,
            new { scopes = new[] { "invoices:read" }, allowedAddresses = new[] { "not-an-address" } });

        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await AssertFieldError(creation, "allowedAddresses", "not an IP address");
        Assert.Null((await world.InScope<AuthServer.ApiKeys.ApiKeyQueries, AuthServer.ApiKeys.ApiKeyView>(q =>
            q.GetAsync(AuthServer.Accounts.AccountScope.Every, key.Key.KeyId, CancellationToken.None))).TokensPerMinute);
    }

    private async Task<HttpResponseMessage> PutRawAsync(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", world.AdministratorToken);
        return await world.Http.SendAsync(request);
    }

    private static async Task AssertFieldError(HttpResponseMessage response, string field, string messagePart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(messagePart, StringComparison.Ordinal));
        response.Dispose();
    }
}
