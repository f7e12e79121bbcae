using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public abstract class AdminIdempotencyAndLimitTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_returns_the_same_key_without_its_secret()
    {
        var account = await world.CreateAccountAsync("Retry", keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        var body = new { name = "retried", scopes = new[] { "invoices:read" } };

        using var first = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, body, idempotencyKey: "retry-1");
        using var second = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, body, idempotencyKey: "retry-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var created = await first.ReadJsonAsync();
        var replayed = await second.ReadJsonAsync();
        Assert.Equal(created.GetProperty("key").GetProperty("keyId").GetString(), replayed.GetProperty("key").GetProperty("keyId").GetString());
        Assert.Equal(JsonValueKindNull, replayed.GetProperty("secret").ValueKind);
        Assert.True(replayed.GetProperty("replayed").GetBoolean());
        Assert.Contains("not shown again", replayed.GetProperty("note").GetString());
        Assert.Contains($"revoke this key (POST {path}/{replayed.GetProperty("key").GetProperty("keyId").GetString()}/revoke) and create a new one", replayed.GetProperty("note").GetString());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await ActiveKeysAsync(account.Id));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_request_is_refused()
    {
        var account = await world.CreateAccountAsync("Reuse", keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { name = "a", scopes = new[] { "invoices:read" } }, idempotencyKey: "k1");

        using var different = await world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { name = "b", scopes = new[] { "invoices:read" } }, idempotencyKey: "k1");

        Assert.Equal((HttpStatusCode)422, different.StatusCode);
        Assert.Equal("application/problem+json", different.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await ActiveKeysAsync(account.Id));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_idempotency_key_create_one_key()
    {
        var account = await world.CreateAccountAsync("Concurrent retry", keyLimit: 10);
        var path = $"/admin/v1/accounts/{account.Id}/keys";
        var body = new { name = "once", scopes = new[] { "invoices:read" } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, body, idempotencyKey: "same")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).GetProperty("key").GetProperty("keyId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await ActiveKeysAsync(account.Id));
    }

    [Fact]
    public async Task Parallel_creates_never_exceed_the_limit_and_the_rest_get_409_naming_it()
    {
        var account = await world.CreateAccountAsync("Parallel", keyLimit: 3);
        var path = $"/admin/v1/accounts/{account.Id}/keys";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            world.AdminAsync(HttpMethod.Post, path, world.OperatorToken, new { name = $"k{i}", scopes = new[] { "invoices:read" } })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.Equal(17, refused.Count);
        var problem = await refused[0].ReadProblemAsync();
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Equal(3, problem.GetProperty("activeKeys").GetInt32());
        Assert.Contains("limit is 3", problem.GetProperty("detail").GetString());
        Assert.Equal(3, await ActiveKeysAsync(account.Id));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private async Task<int> ActiveKeysAsync(string accountId) =>
        (await (await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{accountId}", world.OperatorToken)).ReadJsonAsync())
            .GetProperty("activeKeys").GetInt32();
}

public sealed class AdminIdempotencyAndLimitTestsOnSqlite(AdminWorld world) : AdminIdempotencyAndLimitTests<AdminWorld>(world);

public sealed class AdminIdempotencyAndLimitTestsOnPostgreSql(PostgresAdminWorld world) : AdminIdempotencyAndLimitTests<PostgresAdminWorld>(world);
