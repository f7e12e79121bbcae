using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public abstract class IntrospectionTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private HttpClient Http => world.Http;

    [Fact]
    public async Task A_resource_server_sees_an_active_token_addressed_to_it_with_its_claims()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        var result = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);

        Assert.True(result.GetProperty("active").GetBoolean());
        Assert.Equal(key.Key.KeyId, result.GetProperty("client_id").GetString());
        Assert.Equal(key.Key.KeyId, result.GetProperty("sub").GetString());
        Assert.Equal(world.Acme.Id, result.GetProperty("account_id").GetString());
        Assert.Equal("invoices:read reports:read", result.GetProperty("scope").GetString());
        Assert.Equal("Bearer", result.GetProperty("token_type").GetString());
        Assert.Equal("https://localhost/", result.GetProperty("iss").GetString());
        Assert.True(result.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("access_token", true)]
    [InlineData("refresh_token", true)] // RFC 7662 §2.1: only a hint
    [InlineData(null, false)]
    public async Task Every_request_shape_gets_the_same_answer(string? hint, bool basic)
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var usual = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        var form = new Dictionary<string, string> { ["token"] = token };
        if (hint is not null)
        {
            form["token_type_hint"] = hint;
        }

        if (!basic)
        {
            form["client_id"] = world.Invoices.ClientId;
            form["client_secret"] = world.Invoices.ClientSecret;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent(form) };
        if (basic)
        {
            request.Headers.Authorization = OAuth.BasicCredentials(world.Invoices.ClientId, world.Invoices.ClientSecret);
        }

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(Canonical(usual), Canonical(await response.ReadJsonAsync()));
    }

    private static string Canonical(System.Text.Json.JsonElement body) =>
        string.Join(",", body.EnumerateObject().OrderBy(p => p.Name).Select(p => $"{p.Name}={System.Text.Json.JsonSerializer.Serialize(p.Value)}"));

    [Fact]
    public async Task A_token_addressed_to_another_resource_server_is_inactive_for_this_one()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        var result = await Http.IntrospectAsync(world.Reports.ClientId, world.Reports.ClientSecret, token);

        Assert.False(result.GetProperty("active").GetBoolean());
        Assert.Single(result.EnumerateObject());
    }

    [Fact]
    public async Task Revoking_the_key_makes_its_tokens_inactive_at_once()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        Assert.True((await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token)).GetProperty("active").GetBoolean());

        await world.RevokeKeyAsync(key.Key.KeyId);

        var result = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        Assert.False(result.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Tokens_of_an_expired_key_are_inactive()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddHours(1));
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await world.ExpireKeyAsync(key.Key.KeyId);

        var result = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);

        Assert.False(result.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Garbage_and_tampered_tokens_are_inactive()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        foreach (var candidate in new[] { "garbage", tampered })
        {
            var result = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, candidate);
            Assert.False(result.GetProperty("active").GetBoolean());
        }
    }

    [Fact]
    public async Task Only_resource_servers_with_valid_credentials_may_introspect()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        using var asKey = await Introspect(key.Key.KeyId, key.Secret, token);
        using var wrongSecret = await Introspect(world.Invoices.ClientId, key.Secret, token);
        using var anonymous = await Http.PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));

        Assert.Equal(HttpStatusCode.BadRequest, asKey.StatusCode);
        Assert.Equal("unauthorized_client", (await asKey.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal("invalid_client", (await wrongSecret.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_client", (await anonymous.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_missing_token_parameter_is_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Authorization = OAuth.BasicCredentials(world.Invoices.ClientId, world.Invoices.ClientSecret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_new_introspection_secret_replaces_the_old_one()
    {
        var resource = await world.CreateResourceServerAsync("rotating-api");
        await world.CreateScopeAsync("rotating:read", "rotating-api");
        var key = await world.CreateKeyAsync(["rotating:read"]);
        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        Assert.True((await Http.IntrospectAsync(resource.ClientId, resource.ClientSecret, token)).GetProperty("active").GetBoolean());

        var renewed = await world.InScope<AuthServer.Resources.ResourceServerService, AuthServer.Resources.IssuedResourceCredentials>(
            service => service.IssueCredentialsAsync("rotating-api", TestWorld.TestActor, CancellationToken.None));

        using var old = await Introspect(resource.ClientId, resource.ClientSecret, token);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.True((await Http.IntrospectAsync(renewed.ClientId, renewed.ClientSecret, token)).GetProperty("active").GetBoolean());
    }

    private Task<HttpResponseMessage> Introspect(string clientId, string secret, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(clientId, secret);
        return Http.SendAsync(request);
    }
}

public sealed class IntrospectionTestsOnSqlite(TestWorld world) : IntrospectionTests<TestWorld>(world);

public sealed class IntrospectionTestsOnPostgreSql(PostgresWorld world) : IntrospectionTests<PostgresWorld>(world);

public sealed class IntrospectionTestsThroughOpenIddict(OpenIddictPipelineWorld world) : IntrospectionTests<OpenIddictPipelineWorld>(world);
