using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthServer.ResourceServer;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// What the API sees of a browser's tokens: a publishable key's visitor token names its API key in <c>azp</c> and the
/// publishable key in <c>client_id</c>; an end user's token also carries <c>act</c> and the end user as <c>sub</c>.
/// Tokens are forged with the AuthServer's real signing key from a real token, so each differs only in those claims.
/// </summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class EndUserClaimsTests(ResourceServerWorld world)
{
    private const string PublishableKey = "pk_test_4eC39HqLyjWDarjtT1zdp7dc";

    [Fact]
    public async Task A_visitor_token_is_seen_as_its_api_key_through_its_publishable_key_without_an_end_user()
    {
        var (token, keyId) = await ForgeAsync((claims, key) => (claims["client_id"], claims["azp"]) = (PublishableKey, key));

        var caller = await WhoAmIAsync(token);

        Assert.Equal(keyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(PublishableKey, caller.GetProperty("publishableKey").GetString());
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("endUserId").ValueKind);
    }

    [Fact]
    public async Task An_end_user_token_is_seen_as_its_end_user_acting_through_the_api_key()
    {
        var (token, keyId) = await ForgeAsync(EndUserToken("user-ann-lee"));

        var caller = await WhoAmIAsync(token);

        Assert.Equal("user-ann-lee", caller.GetProperty("endUserId").GetString());
        Assert.Equal(keyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(PublishableKey, caller.GetProperty("publishableKey").GetString());
    }

    [Fact]
    public async Task A_key_s_own_token_is_seen_as_before_with_no_publishable_key_and_no_end_user()
    {
        var (token, keyId) = await ForgeAsync((_, _) => { });

        var caller = await WhoAmIAsync(token);

        Assert.Equal(keyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("publishableKey").ValueKind);
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("endUserId").ValueKind);
    }

    [Fact]
    public async Task An_invoice_created_with_an_end_user_token_records_the_end_user_and_the_key()
    {
        var (token, keyId) = await ForgeAsync(EndUserToken("user-ann-lee"), "invoices:write");

        using var response = await world.Api(TokenValidationMode.Local).PostJsonAsync("/invoices", token, """{"customer":"Globex","amount":12.5,"currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invoice = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("user-ann-lee", invoice.GetProperty("createdByUser").GetString());
        Assert.Equal(keyId, invoice.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task An_invoice_created_with_a_key_s_own_token_records_no_end_user()
    {
        var (token, keyId) = await ForgeAsync((_, _) => { }, "invoices:write");

        using var response = await world.Api(TokenValidationMode.Local).PostJsonAsync("/invoices", token, """{"customer":"Globex","amount":12.5,"currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invoice = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("createdByUser").ValueKind);
        Assert.Equal(keyId, invoice.GetProperty("createdBy").GetString());
    }

    [Fact]
    public void By_introspection_the_act_object_and_azp_are_read_the_same_as_locally()
    {
        // The claims exactly as OpenIddict's validation builds them from an introspection answer: one claim per
        // member, act as its JSON text with value type JSON.
        var answer = JsonDocument.Parse($$"""
            {"active":true,"sub":"user-ann-lee","act":{"sub":"ak_123"},"azp":"ak_123","client_id":"{{PublishableKey}}",
             "account_id":"acc_1","scope":"invoices:read","aud":"invoices-api"}
            """).RootElement;
        var identity = new ClaimsIdentity("introspection");
        foreach (var member in answer.EnumerateObject().Where(member => member.Name != "active"))
        {
            identity.AddClaim(member.Name, member.Value, "http://127.0.0.1:5080/");
        }

        var user = new ClaimsPrincipal(identity);

        Assert.Equal("JSON", identity.FindFirst("act")?.ValueType);
        Assert.Equal("user-ann-lee", user.GetEndUserId());
        Assert.Equal("ak_123", user.GetKeyId());
        Assert.Equal(PublishableKey, user.GetPublishableKey());
    }

    [Fact]
    public void An_act_claim_that_is_null_names_no_end_user()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "ak_123"), new Claim("act", "null", "JSON_NULL"), new Claim("client_id", "ak_123")], "test"));

        Assert.Null(user.GetEndUserId());
        Assert.Equal("ak_123", user.GetKeyId());
        Assert.Null(user.GetPublishableKey());
    }

    private static Action<JsonObject, string> EndUserToken(string endUser) => (claims, key) =>
    {
        (claims["client_id"], claims["azp"], claims["sub"]) = (PublishableKey, key, endUser);
        claims["act"] = new JsonObject { ["sub"] = key };
    };

    /// <summary>A real token of a new key, its claims changed by <paramref name="change"/> (given the key ID) and signed again.</summary>
    private async Task<(string Token, string KeyId)> ForgeAsync(Action<JsonObject, string> change, string scope = "invoices:read")
    {
        var real = await world.AuthServer.TokenAsync(scope);
        var keyId = JsonNode.Parse(Base64UrlEncoder.Decode(real.Split('.')[1]))!["client_id"]!.GetValue<string>();
        var token = TokenForge.Faithful(real, world.AuthServer.SigningCertificate).With((_, claims) => change(claims, keyId)).SignRs256();
        return (token, keyId);
    }

    private async Task<JsonElement> WhoAmIAsync(string token)
    {
        using var response = await world.Api(TokenValidationMode.Local).GetAsync("/whoami", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
