using System.Net;
using System.Text.Json;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// A key's secret presented directly to a resource server, which asks introspection about the secret itself
/// (README "Keys presented directly"). Runs with the fast paths on and off, on SQLite and PostgreSQL.
/// </summary>
public abstract class DirectKeyIntrospectionTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private HttpClient Http => world.Http;

    [Fact]
    public async Task A_live_keys_secret_is_active_with_only_the_scopes_that_reach_the_asking_resource_server()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "invoices:write", "reports:read"], expiresAt: DateTime.UtcNow.AddDays(1));

        var invoices = await IntrospectAsync(world.Invoices, key.Secret);
        var reports = await IntrospectAsync(world.Reports, key.Secret);

        Assert.True(invoices.GetProperty("active").GetBoolean());
        Assert.Equal(key.Key.KeyId, invoices.GetProperty("client_id").GetString());
        Assert.Equal(key.Key.KeyId, invoices.GetProperty("sub").GetString());
        Assert.Equal(world.Acme.Id, invoices.GetProperty("account_id").GetString());
        Assert.Equal("invoices:read invoices:write", invoices.GetProperty("scope").GetString());
        Assert.Equal(TestWorld.InvoicesApi, invoices.GetProperty("aud").GetString());
        Assert.Equal("api_key", invoices.GetProperty("token_usage").GetString());
        Assert.Equal("https://localhost/", invoices.GetProperty("iss").GetString());
        Assert.Equal(new DateTimeOffset(key.Key.ExpiresAt!.Value).ToUnixTimeSeconds(), invoices.GetProperty("exp").GetInt64());
        Assert.Equal("reports:read", reports.GetProperty("scope").GetString());
        Assert.Equal(TestWorld.ReportsApi, reports.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task A_key_without_expiry_has_no_exp_and_every_request_shape_gets_the_same_answer()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var usual = await IntrospectAsync(world.Invoices, key.Secret);
        Assert.False(usual.TryGetProperty("exp", out _));

        foreach (var (hint, basic) in new (string?, bool)[] { ("api_key", true), (null, false), ("access_token", true), ("api_key", false) })
        {
            using var response = await SendAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, hint, basic: basic);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal(Canonical(usual), Canonical(await response.ReadJsonAsync()));
        }
    }

    [Fact]
    public async Task A_key_with_no_scope_reaching_the_caller_is_inactive_for_it()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var result = await IntrospectAsync(world.Reports, key.Secret);

        Assert.False(result.GetProperty("active").GetBoolean());
        Assert.Single(result.EnumerateObject());
    }

    [Fact]
    public async Task Revoked_expired_unknown_mistyped_and_resource_server_secrets_are_all_just_inactive()
    {
        var revoked = await world.CreateKeyAsync(["invoices:read"]);
        Assert.True((await IntrospectAsync(world.Invoices, revoked.Secret)).GetProperty("active").GetBoolean());
        await world.RevokeKeyAsync(revoked.Key.KeyId);
        var expired = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddHours(1));
        Assert.True((await IntrospectAsync(world.Invoices, expired.Secret)).GetProperty("active").GetBoolean());
        await world.ExpireKeyAsync(expired.Key.KeyId);
        var live = await world.CreateKeyAsync(["invoices:read"]);
        var mistyped = live.Secret[..^1] + (live.Secret[^1] == 'a' ? 'b' : 'a');

        foreach (var secret in new[] { revoked.Secret, expired.Secret, AuthServer.Secrets.ClientSecret.Generate(), mistyped, live.Secret[..20], world.Reports.ClientSecret, world.Invoices.ClientSecret })
        {
            var result = await IntrospectAsync(world.Invoices, secret);
            Assert.False(result.GetProperty("active").GetBoolean());
            Assert.Single(result.EnumerateObject());
        }
    }

    [Fact]
    public async Task A_key_marked_not_usable_directly_is_inactive_until_it_is_marked_usable_again()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        Assert.True((await IntrospectAsync(world.Invoices, key.Secret)).GetProperty("active").GetBoolean());

        await SetDirectUseAsync(key.Key.KeyId, false);
        Assert.False((await IntrospectAsync(world.Invoices, key.Secret)).GetProperty("active").GetBoolean());
        Assert.NotNull(await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret)); // it still gets tokens

        await SetDirectUseAsync(key.Key.KeyId, true);
        Assert.True((await IntrospectAsync(world.Invoices, key.Secret)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_key_created_not_usable_directly_is_inactive()
    {
        var created = await world.InScope<ApiKeyCreator, CreatedApiKey>(creator => creator.CreateAsync(
            new CreateApiKeyRequest(world.Acme.Id, "oauth only", ["invoices:read"], null, DirectUse: false), TestWorld.TestActor, CancellationToken.None));

        Assert.False(created.Key.DirectUse);
        Assert.False((await IntrospectAsync(world.Invoices, created.Secret!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Only_resource_servers_may_ask_about_a_secret()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var other = await world.CreateKeyAsync(["invoices:read"]);

        using var asKey = await SendAsync(other.Key.KeyId, other.Secret, key.Secret, "api_key");
        using var anonymous = await Http.PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = key.Secret }));

        Assert.Equal(HttpStatusCode.BadRequest, asKey.StatusCode);
        Assert.Equal("unauthorized_client", (await asKey.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_client", (await anonymous.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_secret_in_any_other_parameter_is_still_refused()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var inHint = await SendAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, "x", key.Secret);
        using var atToken = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["token"] = key.Secret,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, inHint.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, atToken.StatusCode);
        Assert.DoesNotContain(key.Secret, await atToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Canonical(JsonElement body) =>
        string.Join(",", body.EnumerateObject().OrderBy(p => p.Name).Select(p => $"{p.Name}={JsonSerializer.Serialize(p.Value)}"));

    private Task<ApiKeyView> SetDirectUseAsync(string keyId, bool on) =>
        world.InScope<ApiKeyLifecycle, ApiKeyView>(lifecycle => lifecycle.SetDirectUseAsync(AccountScope.Every, keyId, on, TestWorld.TestActor, CancellationToken.None));

    private async Task<JsonElement> IntrospectAsync(AuthServer.Resources.IssuedResourceCredentials caller, string secret)
    {
        using var response = await SendAsync(caller.ClientId, caller.ClientSecret, secret, "api_key");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private Task<HttpResponseMessage> SendAsync(string clientId, string clientSecret, string token, string? hint, bool basic = true, string? presenter = null) =>
        DirectKeys.SendAsync(Http, clientId, clientSecret, token, hint, basic, presenter);
}

internal static class DirectKeys
{
    public static Task<HttpResponseMessage> SendAsync(
        HttpClient http, string clientId, string clientSecret, string token, string? hint, bool basic = true, string? presenter = null)
    {
        var form = new Dictionary<string, string> { ["token"] = token };
        if (hint is not null)
        {
            form["token_type_hint"] = hint;
        }

        if (presenter is not null)
        {
            form["presenter_address"] = presenter;
        }

        if (!basic)
        {
            form["client_id"] = clientId;
            form["client_secret"] = clientSecret;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent(form) };
        if (basic)
        {
            request.Headers.Authorization = OAuth.BasicCredentials(clientId, clientSecret);
        }

        return http.SendAsync(request);
    }
}

public sealed class DirectKeyIntrospectionTestsOnSqlite(TestWorld world) : DirectKeyIntrospectionTests<TestWorld>(world);

public sealed class DirectKeyIntrospectionTestsOnPostgreSql(PostgresWorld world) : DirectKeyIntrospectionTests<PostgresWorld>(world);

public sealed class DirectKeyIntrospectionTestsThroughOpenIddict(OpenIddictPipelineWorld world) : DirectKeyIntrospectionTests<OpenIddictPipelineWorld>(world);

/// <summary>Secrets that name no usable key are throttled per resource server and presenting address, like failed client authentication.</summary>
public abstract class DirectKeyThrottlingTests(TestWorld world)
{
    public static Dictionary<string, string?> Settings(bool fastPaths) => new()
    {
        ["Throttling:FailuresPerClient"] = "1000",
        ["Throttling:FailuresPerAddress"] = "3",
        ["Throttling:FailureWindow"] = "00:00:05",
        ["Tokens:FastPaths"] = fastPaths ? "true" : "false",
    };

    [Fact]
    public async Task After_the_allowed_failures_an_address_is_refused_even_with_a_good_secret_and_others_are_not()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 3; i++)
        {
            using var bad = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret,
                AuthServer.Secrets.ClientSecret.Generate(), "api_key", presenter: "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        }

        using var throttled = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, "api_key", presenter: "203.0.113.7");
        using var otherAddress = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, "api_key", presenter: "203.0.113.8");
        using var otherCaller = await DirectKeys.SendAsync(world.Http, world.Reports.ClientId, world.Reports.ClientSecret, key.Secret, "api_key", presenter: "203.0.113.7");
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var tokenIntrospection = await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Equal("temporarily_unavailable", (await throttled.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.True((await otherAddress.ReadJsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, otherCaller.StatusCode); // another resource server's count is its own
        Assert.True(tokenIntrospection.GetProperty("active").GetBoolean()); // the caller's own credentials are not throttled

        await Task.Delay(TimeSpan.FromSeconds(5.5));
        using var later = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, "api_key", presenter: "203.0.113.7");
        Assert.True((await later.ReadJsonAsync()).GetProperty("active").GetBoolean());
    }
}

public sealed class DirectKeyThrottlingTestsWithFastPaths(DirectKeyThrottlingTestsWithFastPaths.World world)
    : DirectKeyThrottlingTests(world), IClassFixture<DirectKeyThrottlingTestsWithFastPaths.World>
{
    public sealed class World() : TestWorld(Settings(fastPaths: true));
}

public sealed class DirectKeyThrottlingTestsThroughOpenIddict(DirectKeyThrottlingTestsThroughOpenIddict.World world)
    : DirectKeyThrottlingTests(world), IClassFixture<DirectKeyThrottlingTestsThroughOpenIddict.World>
{
    public sealed class World() : TestWorld(Settings(fastPaths: false));
}
