using System.Diagnostics;
using System.Net;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

/// <summary>
/// One account's receivers cannot hold up another account's webhooks (README "Webhooks"): a receiver that hangs costs
/// one attempt per batch, not one per delivery, and each account has a share of every batch.
/// </summary>
public abstract class WebhookFairShareTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    [Fact]
    public async Task An_account_whose_receiver_hangs_on_sixty_deliveries_does_not_hold_up_another_account_s_event()
    {
        await using var hanging = await WebhookReceiver.StartAsync();
        hanging.Hold = true;
        var hangingId = await RegisterAsync(world.Other.Id, world.OtherAdministratorToken, hanging.Url, "key.renamed");
        await world.InScope<IServiceProvider, int>(async services =>
        {
            var audit = services.GetRequiredService<AuditLog>();
            for (var i = 0; i < 60; i++)
            {
                audit.Record(new Actor("test:fair-share", "local"), AuditActions.KeyRenamed, $"ak_hang{i}", world.Other.Id, new { To = $"name {i}" });
            }

            return await services.GetRequiredService<AuthDbContext>().SaveChangesAsync();
        });
        await hanging.WaitForAsync(r => r.Count >= 1); // the deliverer is now waiting on it
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(world.Acme.Id, world.AdministratorToken, receiver.Url, "key.created");

        var started = Stopwatch.StartNew();
        await world.CreateKeyAsync(["invoices:read"]);
        await receiver.WaitForAsync(r => r.Count >= 1, seconds: 60);

        // Each attempt at the hanging receiver times out after 2 s; before, eight at a time of its sixty went first.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(6), $"The other account's event took {started.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(hanging.Received.Count < 10, $"The hanging receiver got {hanging.Received.Count} requests.");
        hanging.Hold = false;
        using var removed = await world.AdminAsync(HttpMethod.Delete, $"/admin/v1/accounts/{world.Other.Id}/webhooks/{hangingId}", world.OtherAdministratorToken);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    private async Task<string> RegisterAsync(string accountId, string token, string url, string type)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{accountId}/webhooks", token, new { url, eventTypes = new[] { type } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("endpoint").GetProperty("id").GetString()!;
    }
}

public sealed class WebhookFairShareTestsOnSqlite(WebhookWorld world) : WebhookFairShareTests<WebhookWorld>(world);

public sealed class WebhookFairShareTestsOnPostgreSql(PostgresWebhookWorld world) : WebhookFairShareTests<PostgresWebhookWorld>(world);
