using System.Diagnostics;
using System.Net;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Tests;

/// <summary>
/// PostgreSQL stopped under load, then started again: standard 503 answers within a bounded time, readiness
/// follows the database while liveness stays up, recovery without restart, and nothing lost or half-written.
/// Runs on a cluster of its own so that stopping it disturbs no other test.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly PostgresCluster _cluster = PostgresCluster.StartDedicated();
    private AdminWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = new OutageWorld(_cluster);
        await _world.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        _cluster.Stop();
    }

    [Fact]
    public async Task The_server_answers_503_during_an_outage_recovers_after_and_loses_or_half_writes_nothing()
    {
        var account = await _world.CreateAccountAsync("Outage", keyLimit: 10_000);
        var before = await _world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        await _world.Http.GetAccessTokenAsync(before.Key.KeyId, before.Secret);
        var keysPath = $"/admin/v1/accounts/{account.Id}/keys";

        // Load while the database goes away: token requests, and creations that may be cut off mid-way.
        using var stop = new CancellationTokenSource();
        var tokenLoad = Task.Run(() => HammerTokensAsync(before, stop.Token));
        var creations = Task.Run(() => CreateKeysAsync(keysPath, stop.Token));
        await Task.Delay(500);
        _cluster.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past the 1 s staleness bound: the cache is no longer trusted

        using var token = await _world.Http.RequestTokenAsync(before.Key.KeyId, before.Secret);
        using var ready = await _world.Http.GetAsync("/health/ready");
        using var live = await _world.Http.GetAsync("/health/live");
        using var create = await _world.AdminAsync(HttpMethod.Post, keysPath, _world.OperatorToken, new { scopes = new[] { "invoices:read" } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, token.StatusCode);
        var error = await token.ReadJsonAsync();
        Assert.Equal("temporarily_unavailable", error.GetProperty("error").GetString());
        Assert.Equal("1", token.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);

        _cluster.Start();
        var recovered = await WaitForAsync(async () => (await _world.Http.RequestTokenAsync(before.Key.KeyId, before.Secret)).StatusCode == HttpStatusCode.OK);
        await stop.CancelAsync();
        var statuses = await tokenLoad;
        var created = await creations;

        Assert.True(recovered, "the server did not recover within 20 s of the database coming back");
        Assert.Equal(HttpStatusCode.OK, (await _world.Http.GetAsync("/health/ready")).StatusCode);
        Assert.All(statuses, s => Assert.Contains(s.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(statuses, s => s.Status == HttpStatusCode.ServiceUnavailable);
        Assert.True(statuses.Max(s => s.Elapsed) < TimeSpan.FromSeconds(5), $"slowest answer took {statuses.Max(s => s.Elapsed)}");

        // Nothing lost, nothing half-written: exactly the keys reported created exist, each complete and working.
        using var scope = _world.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var keyIds = await db.ApiKeys.Where(k => k.AccountId == account.Id).Select(k => k.Id).ToListAsync();
        var applicationIds = await db.Set<OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientId!).ToListAsync();
        Assert.Equal(created.Select(c => c.KeyId).Append(before.Key.KeyId).Order(), keyIds.Order());
        Assert.All(keyIds, id => Assert.Contains(id, applicationIds));
        foreach (var (keyId, secret) in created.Take(3).Append((before.Key.KeyId, before.Secret)))
        {
            Assert.Equal(HttpStatusCode.OK, (await _world.Http.RequestTokenAsync(keyId, secret)).StatusCode);
        }
    }

    private async Task<List<(HttpStatusCode Status, TimeSpan Elapsed)>> HammerTokensAsync(TestKey key, CancellationToken stop)
    {
        var results = new List<(HttpStatusCode, TimeSpan)>();
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            using var response = await _world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
            results.Add((response.StatusCode, clock.Elapsed));
            await Task.Delay(20, CancellationToken.None);
        }

        return results;
    }

    private async Task<List<(string KeyId, string Secret)>> CreateKeysAsync(string path, CancellationToken stop)
    {
        var created = new List<(string, string)>();
        while (!stop.IsCancellationRequested)
        {
            using var response = await _world.AdminAsync(HttpMethod.Post, path, _world.OperatorToken, new { scopes = new[] { "invoices:read" } });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var body = await response.ReadJsonAsync();
                created.Add((body.GetProperty("key").GetProperty("keyId").GetString()!, body.GetProperty("secret").GetString()!));
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return created;
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private sealed class OutageWorld(PostgresCluster cluster) : AdminWorld(PostgresWorld.PostgresSettings(cluster));
}
