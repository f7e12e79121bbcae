using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

[Collection(WithSharedAuthServer.Name)]
public sealed class AcceptanceTests(ResourceServerWorld world)
{
    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_token_from_the_AuthServer_is_accepted_and_its_claims_are_what_the_api_sees(TokenValidationMode mode)
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read", "invoices:write", "reports:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        using var response = await world.Api(mode).GetAsync("/whoami", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(key.Key.KeyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(world.AuthServer.Acme.Id, caller.GetProperty("accountId").GetString());
        // One space-separated scope claim, read as three scopes; aud lists both resource servers.
        Assert.Equal(["invoices:read", "invoices:write", "reports:read"], caller.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(caller.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task Without_a_token_the_answer_is_a_bare_bearer_challenge(TokenValidationMode mode)
    {
        using var response = await world.Api(mode).GetAsync("/invoices", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.BearerChallenge();
        Assert.Equal(LoopbackAuthServer.InvoicesApi, challenge["realm"]);
        Assert.False(challenge.ContainsKey("error"), "RFC 6750 §3.1: no error code when the request had no token at all");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_token_in_the_query_string_or_another_scheme_does_not_count(TokenValidationMode mode)
    {
        var token = await world.AuthServer.TokenAsync("invoices:read");
        var api = world.Api(mode);

        using var inQuery = await api.GetAsync($"/invoices?access_token={token}", token: null);
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/invoices");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", token);
        using var withBasic = await api.SendAsync(basic);

        Assert.Equal(HttpStatusCode.Unauthorized, inQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withBasic.StatusCode);
    }

    [Fact]
    public async Task Anonymous_endpoints_stay_open()
    {
        using var response = await world.Api(TokenValidationMode.Local).GetAsync("/health", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
