using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// The usual requests are served by the fast paths, the rest by OpenIddict's pipeline; both must give the same
/// tokens and answers. An extra, ignored parameter sends a request down OpenIddict's pipeline, which logs each
/// request it extracts — that is how the tests tell which path served.
/// </summary>
public sealed class FastPathEquivalenceTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task Both_token_paths_issue_the_same_token()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        var (fast, fastLogged) = await ServedAsync("/connect/token", "grant_type=client_credentials&scope=reports:read+invoices:read", key.Key.KeyId, key.Secret);
        var (slow, slowLogged) = await ServedAsync("/connect/token", "grant_type=client_credentials&scope=reports:read+invoices:read&extra=1", key.Key.KeyId, key.Secret);

        Assert.False(fastLogged, "the usual request should not reach OpenIddict's pipeline");
        Assert.True(slowLogged, "a request with an extra parameter should reach OpenIddict's pipeline");
        Assert.Equal(Names(fast), Names(slow));
        Assert.Equal(fast.GetProperty("token_type").GetString(), slow.GetProperty("token_type").GetString());
        Assert.Equal(fast.GetProperty("scope").GetString(), slow.GetProperty("scope").GetString());

        var a = new JwtSecurityToken(fast.GetProperty("access_token").GetString());
        var b = new JwtSecurityToken(slow.GetProperty("access_token").GetString());
        // expires_in counts from when the answer was written, so a loaded machine may shave a second or two off.
        Assert.InRange(fast.GetProperty("expires_in").GetInt32(), (a.ValidTo - a.IssuedAt).TotalSeconds - 5, (a.ValidTo - a.IssuedAt).TotalSeconds + 1);
        Assert.InRange(slow.GetProperty("expires_in").GetInt32(), (b.ValidTo - b.IssuedAt).TotalSeconds - 5, (b.ValidTo - b.IssuedAt).TotalSeconds + 1);
        Assert.Equal(Header(a), Header(b));
        Assert.Equal(Claims(a), Claims(b));
        Assert.InRange(((a.ValidTo - a.IssuedAt) - (b.ValidTo - b.IssuedAt)).TotalSeconds, -1, 1);
        await world.Http.ValidateWithJwksAsync(fast.GetProperty("access_token").GetString()!, TestWorld.InvoicesApi);
    }

    [Fact]
    public async Task Both_introspection_paths_give_the_same_answer()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        var (fast, fastLogged) = await ServedAsync("/connect/introspect", $"token={token}", world.Invoices.ClientId, world.Invoices.ClientSecret);
        var (slow, slowLogged) = await ServedAsync("/connect/introspect", $"token={token}&extra=1", world.Invoices.ClientId, world.Invoices.ClientSecret);

        Assert.False(fastLogged);
        Assert.True(slowLogged);
        Assert.True(fast.GetProperty("active").GetBoolean());
        Assert.Equal(Canonical(slow), Canonical(fast));
    }

    private async Task<(JsonElement Body, bool ReachedOpenIddict)> ServedAsync(string path, string form, string clientId, string secret)
    {
        var before = ExtractedByOpenIddict();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(clientId, secret);
        using var response = await world.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.ReadJsonAsync(), ExtractedByOpenIddict() > before);
    }

    private int ExtractedByOpenIddict() =>
        world.Factory.Logs.Lines.Count(line => line.Contains("request was successfully extracted", StringComparison.Ordinal));

    private static string[] Names(JsonElement body) => body.EnumerateObject().Select(p => p.Name).Order().ToArray();

    private static string Header(JwtSecurityToken token) =>
        string.Join(",", token.Header.OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}"));

    private static string Claims(JwtSecurityToken token) =>
        string.Join(",", token.Claims.Where(c => c.Type is not ("jti" or "iat" or "exp")).OrderBy(c => c.Type).ThenBy(c => c.Value).Select(c => $"{c.Type}={c.Value}"));

    private static string Canonical(JsonElement body) =>
        string.Join(",", body.EnumerateObject().OrderBy(p => p.Name).Select(p => $"{p.Name}={JsonSerializer.Serialize(p.Value)}"));
}
