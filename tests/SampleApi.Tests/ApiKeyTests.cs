using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// The SampleApi with <c>AcceptApiKeys</c>: a key's secret in <c>x-api-key</c> or <c>Authorization: Bearer</c>,
/// authenticated by introspecting the key, with a short cache keyed by the secret's hash.
/// </summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class ApiKeyTests(ResourceServerWorld world)
{
    public static TheoryData<TokenValidationMode, string> ModesAndHeaders => new()
    {
        { TokenValidationMode.Local, ApiKeyRequests.XApiKey },
        { TokenValidationMode.Local, ApiKeyRequests.Bearer },
        { TokenValidationMode.Introspection, ApiKeyRequests.XApiKey },
        { TokenValidationMode.Introspection, ApiKeyRequests.Bearer },
    };

    [Theory]
    [MemberData(nameof(ModesAndHeaders))]
    public async Task A_key_in_either_header_gives_the_same_caller_as_its_token_with_only_this_apis_scopes(TokenValidationMode mode, string header)
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read", "reports:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret, "invoices:read");
        var api = world.Api(mode);

        using var byKey = await api.SendWithKeyAsync(HttpMethod.Get, "/whoami", header, key.Secret);
        using var byToken = await api.GetAsync("/whoami", token);

        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
        var caller = await byKey.ReadJsonAsync();
        var tokenCaller = await byToken.ReadJsonAsync();
        Assert.Equal(key.Key.KeyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(world.AuthServer.Acme.Id, caller.GetProperty("accountId").GetString());
        Assert.Equal(["invoices:read"], caller.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("expiresAt").ValueKind);
        Assert.Equal("api_key", caller.GetProperty("credential").GetString());
        foreach (var field in new[] { "keyId", "accountId", "scopes" })
        {
            Assert.Equal(tokenCaller.GetProperty(field).GetRawText(), caller.GetProperty(field).GetRawText());
        }

        using var list = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", header, key.Secret);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ModesAndHeaders))]
    public async Task A_key_without_the_scope_gets_the_same_403_as_a_token(TokenValidationMode mode, string header)
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);

        using var response = await world.Api(mode).SendWithKeyAsync(HttpMethod.Post, "/invoices", header, key.Secret,
            """{"customer":"Globex","amount":1,"currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("insufficient_scope", response.BearerChallenge()["error"]);
        Assert.Equal("invoices:write", response.BearerChallenge()["scope"]);
    }

    [Theory]
    [MemberData(nameof(ModesAndHeaders))]
    public async Task Unknown_mistyped_revoked_and_other_apis_keys_get_the_same_401_challenge_as_a_bad_token(TokenValidationMode mode, string header)
    {
        var revoked = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        await world.AuthServer.RevokeKeyAsync(revoked.Key.KeyId);
        var live = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var reportsOnly = await world.AuthServer.CreateKeyAsync(["reports:read"]);
        var mistyped = live.Secret[..^1] + (live.Secret[^1] == 'a' ? 'b' : 'a');

        foreach (var secret in new[] { AuthServer.Secrets.ClientSecret.Generate(), mistyped, revoked.Secret, reportsOnly.Secret, "authsk_", "authsk_" + new string('x', 300) })
        {
            using var response = await world.Api(mode).SendWithKeyAsync(HttpMethod.Get, "/invoices", header, secret);
            response.AssertInvalidToken();
            Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_and_a_token_together_are_an_invalid_request()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/invoices");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(ApiKeyRequests.XApiKey, key.Secret);

        using var response = await world.Api(TokenValidationMode.Local).SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", response.BearerChallenge()["error"]);
    }

    [Fact]
    public async Task An_access_token_in_x_api_key_is_refused()
    {
        var token = await world.AuthServer.TokenAsync("invoices:read");

        using var response = await world.Api(TokenValidationMode.Local).SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, token);

        response.AssertInvalidToken();
    }

    [Fact]
    public async Task Without_accept_api_keys_a_key_is_refused_and_never_sent_to_the_auth_server()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        await using var factory = new SampleApiFactory(world.AuthServer, TokenValidationMode.Introspection,
            new Dictionary<string, string?> { ["AuthServer:AcceptApiKeys"] = "false" });
        using var api = factory.CreateClient();
        var mark = factory.Backchannel.Mark();

        using var bearer = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.Bearer, key.Secret);
        using var header = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret);

        bearer.AssertInvalidToken();
        Assert.Equal(HttpStatusCode.Unauthorized, header.StatusCode);
        Assert.DoesNotContain("error", header.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal); // no credential seen at all
        Assert.DoesNotContain("/connect/introspect", factory.Backchannel.Since(mark));
    }

    [Fact]
    public async Task The_secret_is_never_logged_by_the_api()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var api = world.Api(TokenValidationMode.Local);
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret))
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.Bearer, key.Secret))
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, AuthServer.Secrets.ClientSecret.Generate()))
        {
        }

        var lines = world.ApiFactory(TokenValidationMode.Local).Logs.Lines;
        Assert.Contains(lines, line => line.Contains("/connect/introspect", StringComparison.Ordinal)); // the capture works
        Assert.DoesNotContain(lines, line => line.Contains("authsk_", StringComparison.Ordinal));
    }
}

/// <summary>The cache: bounds, sharing, and what it means for revocation.</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class ApiKeyCacheTests(ResourceServerWorld world)
{
    private static readonly TimeSpan Positive = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Negative = TimeSpan.FromSeconds(3);

    private SampleApiFactory NewApi() => new(world.AuthServer, TokenValidationMode.Local, new Dictionary<string, string?>
    {
        ["AuthServer:ApiKeyCacheDuration"] = Positive.ToString(),
        ["AuthServer:ApiKeyNegativeCacheDuration"] = Negative.ToString(),
    });

    [Fact]
    public async Task A_valid_key_is_asked_about_once_per_cache_duration_and_a_bad_one_once_per_negative_duration()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var bad = AuthServer.Secrets.ClientSecret.Generate();
        await using var factory = NewApi();
        using var api = factory.CreateClient();
        using (await api.GetAsync("/health", token: null))
        {
        }

        var mark = factory.Backchannel.Mark();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Positive * 0.5)
        {
            using var good = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret);
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
            using var refused = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, bad);
            refused.AssertInvalidToken();
        }

        Assert.Equal(2, Introspections(factory, mark)); // one for each key, however many requests

        await Task.Delay(Positive - clock.Elapsed + TimeSpan.FromMilliseconds(200));
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret))
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, bad))
        {
        }

        Assert.Equal(3, Introspections(factory, mark)); // the positive answer aged out, the negative one not yet

        await Task.Delay(Negative - clock.Elapsed + TimeSpan.FromMilliseconds(200));
        using (await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, bad))
        {
        }

        Assert.Equal(4, Introspections(factory, mark));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_share_one_introspection_per_cache_duration()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        await using var factory = NewApi();
        using var api = factory.CreateClient();
        using (await api.GetAsync("/health", token: null))
        {
        }

        var mark = factory.Backchannel.Mark();
        var burst = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret);
            return response.StatusCode;
        }));
        Assert.All(burst, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, Introspections(factory, mark));

        // Sustained load from 8 callers for three cache durations: about one question per duration.
        var clock = Stopwatch.StartNew();
        var served = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (clock.Elapsed < Positive * 3)
            {
                using var response = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Interlocked.Increment(ref served);
            }
        }));

        var asked = Introspections(factory, mark);
        Assert.True(served > 100, $"only {served} requests were served");
        Assert.InRange(asked, 2, (int)Math.Ceiling(clock.Elapsed / Positive) + 1);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_within_the_cache_duration_and_its_event_stream_ends()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        await using var factory = NewApi();
        using var api = factory.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await api.OpenEventsWithKeyAsync(key.Secret, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var events = new ServerSentEventReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("ready", (await events.NextAsync(timeout.Token))?.Type);
        using (var warm = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await world.AuthServer.RevokeKeyAsync(key.Key.KeyId);
        var revokedAt = Stopwatch.StartNew();
        TimeSpan? refusedAfter = null;
        while (revokedAt.Elapsed < Positive * 3)
        {
            using var response = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", ApiKeyRequests.XApiKey, key.Secret);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.AssertInvalidToken();
                refusedAfter = revokedAt.Elapsed;
                break;
            }

            await Task.Delay(50);
        }

        Assert.NotNull(refusedAfter);
        Assert.True(refusedAfter <= Positive + TimeSpan.FromMilliseconds(500), $"refused {refusedAfter} after the revocation");

        var last = await events.NextAsync(timeout.Token);
        var streamEndedAfter = revokedAt.Elapsed;
        Assert.Equal("key-revoked", last?.Type);
        Assert.Equal(key.Key.KeyId, JsonDocument.Parse(last!.Data).RootElement.GetProperty("keyId").GetString());
        Assert.Null(await events.NextAsync(timeout.Token));
        Assert.True(streamEndedAfter <= Positive * 2 + TimeSpan.FromMilliseconds(500), $"the stream ended {streamEndedAfter} after the revocation");
    }

    [Fact]
    public async Task A_stream_opened_with_a_token_goes_on_after_its_key_is_revoked_until_the_token_expires()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var writer = await world.AuthServer.TokenAsync("invoices:write");
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await using var factory = NewApi();
        using var api = factory.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/invoices/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var stream = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var events = new ServerSentEventReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("ready", (await events.NextAsync(timeout.Token))?.Type);

        await world.AuthServer.RevokeKeyAsync(key.Key.KeyId);
        await Task.Delay(Positive * 2);
        using (var created = await api.PostJsonAsync("/invoices", writer, """{"customer":"Hooli","amount":5,"currency":"EUR"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal("invoice", (await events.NextAsync(timeout.Token))?.Type);
    }

    private static int Introspections(SampleApiFactory factory, int mark) =>
        factory.Backchannel.Since(mark).Count(path => path == "/connect/introspect");
}

public static class ApiKeyRequests
{
    public const string XApiKey = "x-api-key";
    public const string Bearer = "Authorization";

    public static async Task<HttpResponseMessage> SendWithKeyAsync(this HttpClient api, HttpMethod method, string path, string header, string secret, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (header == Bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else
        {
            request.Headers.Add(header, secret);
        }

        return await api.SendAsync(request);
    }

    public static Task<HttpResponseMessage> OpenEventsWithKeyAsync(this HttpClient api, string secret, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/invoices/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add(XApiKey, secret);
        return api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
    }
}
