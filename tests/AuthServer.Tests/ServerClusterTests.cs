using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// Real server processes on one PostgreSQL database and one signing-key folder: what scaling out and crashing
/// look like to users.
/// </summary>
public sealed class ServerClusterTests
{
    [Fact]
    public async Task Two_instances_on_one_database_agree_on_keys_revocations_and_tokens()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        using var a = await ServerInstance.StartAsync(database);
        using var b = await ServerInstance.StartAsync(database);
        var operatorToken = await a.BootstrapOperatorTokenAsync();

        var account = await Json(await a.AdminAsync(HttpMethod.Post, "/admin/v1/accounts", operatorToken, new { name = "Scaled" }));
        var accountId = account.GetProperty("id").GetString()!;
        var resource = await Json(await a.AdminAsync(HttpMethod.Post, "/admin/v1/resource-servers", operatorToken, new { name = "scaled-api", introspection = true }));
        var credentials = resource.GetProperty("credentials");
        await Json(await a.AdminAsync(HttpMethod.Post, "/admin/v1/scopes", operatorToken, new { name = "scaled:read", resources = new[] { "scaled-api" } }));

        // Created through A, usable at B at once.
        var created = await Json(await a.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{accountId}/keys", operatorToken, new { scopes = new[] { "scaled:read" } }));
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        var token = await b.Http.GetAccessTokenAsync(keyId, secret);

        // Tokens from A validate with B's JWKS and B's introspection.
        var fromA = await a.Http.GetAccessTokenAsync(keyId, secret);
        var jwt = await b.Http.ValidateWithJwksAsync(fromA, "scaled-api");
        Assert.Equal(ServerInstance.SharedIssuer, jwt.Issuer);
        var introspected = await b.Http.IntrospectAsync(credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!, fromA);
        Assert.True(introspected.GetProperty("active").GetBoolean());
        Assert.NotEmpty(token);

        // Revoked through A, refused by B within a second.
        using (var revoke = await a.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{accountId}/keys/{keyId}/revoke", operatorToken))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await b.Http.RequestTokenAsync(keyId, secret);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B accepted the revoked key for {clock.ElapsedMilliseconds} ms");
        var afterRevocation = await b.Http.IntrospectAsync(credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!, fromA);
        Assert.False(afterRevocation.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_server_killed_while_creating_keys_keeps_every_reported_key_and_nothing_half_written()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        var server = await ServerInstance.StartAsync(database);
        var port = server.BaseAddress.Port;
        var operatorToken = await server.BootstrapOperatorTokenAsync();
        var account = await Json(await server.AdminAsync(HttpMethod.Post, "/admin/v1/accounts", operatorToken, new { name = "Crash", keyLimit = 10_000 }));
        var keysPath = $"/admin/v1/accounts/{account.GetProperty("id").GetString()}/keys";

        // Four clients create keys, each request with its own idempotency key, until the server is killed.
        var reported = new System.Collections.Concurrent.ConcurrentDictionary<string, (string KeyId, string Secret)>();
        var unanswered = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var idempotencyKey = $"client{client}-{i}";
                try
                {
                    using var response = await server.AdminAsync(HttpMethod.Post, keysPath, operatorToken, new { scopes = new[] { "admin:keys:read" } }, idempotencyKey);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        unanswered.Add(idempotencyKey); // an overloaded machine: retried after the restart like an unanswered one
                        continue;
                    }

                    var body = await Json(response, HttpStatusCode.Created);
                    reported[idempotencyKey] = (body.GetProperty("key").GetProperty("keyId").GetString()!, body.GetProperty("secret").GetString()!);
                }
                catch (HttpRequestException)
                {
                    unanswered.Add(idempotencyKey);
                    return;
                }
            }
        })).ToList();

        await WaitUntilAsync(() => reported.Count >= 40);
        server.Process.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        server.Dispose();

        using var restarted = await ServerInstance.StartAsync(database, port);
        // Clients retry what got no answer; the idempotency key returns the key if it was in fact created.
        var retried = new Dictionary<string, string>();
        foreach (var idempotencyKey in unanswered)
        {
            using var retry = await restarted.AdminAsync(HttpMethod.Post, keysPath, operatorToken, new { scopes = new[] { "admin:keys:read" } }, idempotencyKey);
            Assert.Contains(retry.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK });
            retried[idempotencyKey] = (await Json(retry, retry.StatusCode)).GetProperty("key").GetProperty("keyId").GetString()!;
        }

        var list = await Json(await restarted.AdminAsync(HttpMethod.Get, $"{keysPath}?take=200", operatorToken));
        var stored = list.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()!).ToList();
        Assert.Equal(reported.Values.Select(r => r.KeyId).Concat(retried.Values).Order(), stored.Order());
        foreach (var (keyId, secret) in reported.Values)
        {
            using var response = await restarted.Http.RequestTokenAsync(keyId, secret);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected is null ? response.IsSuccessStatusCode : response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "timed out");
    }
}
