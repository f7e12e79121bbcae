using System.Diagnostics;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AuthServer.Tests;

/// <summary>
/// Two instances on one PostgreSQL database, both delivering: a burst of events reaches each endpoint once per event
/// (no instance takes another's delivery), within a bound.
/// </summary>
public sealed class WebhookDeliveryLoadTests(PostgresWebhookWorld world, ITestOutputHelper output) : IClassFixture<PostgresWebhookWorld>
{
    private const int Events = 500;

    [Fact]
    public async Task A_burst_of_events_reaches_two_endpoints_once_each_with_two_instances_delivering_within_60_seconds()
    {
        await using var second = new AuthServerFactory(WebhookTestSettings.With(world.Factory.DatabaseSettings));
        using var secondClient = second.CreateHttpsClient(); // starts the second instance and its deliverer
        await using var first = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        foreach (var receiver in new[] { first, other })
        {
            using var registered = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.AdministratorToken,
                new { url = receiver.Url, eventTypes = new[] { "key.renamed" } });
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        }

        var started = Stopwatch.StartNew();
        await world.InScope<IServiceProvider, int>(async services =>
        {
            var audit = services.GetRequiredService<AuditLog>();
            for (var i = 0; i < Events; i++)
            {
                audit.Record(new Actor("test:load", "local"), AuditActions.KeyRenamed, $"ak_load{i}", world.Acme.Id, new { To = $"name {i}" });
            }

            return await services.GetRequiredService<AuthDbContext>().SaveChangesAsync();
        });

        foreach (var receiver in new[] { first, other })
        {
            var received = await receiver.WaitForAsync(r => r.Count >= Events, seconds: 60);
            Assert.Equal(Events, received.Select(r => r.Id).Distinct().Count());
        }

        var elapsed = started.Elapsed;
        await Task.Delay(1000);
        Assert.Equal(Events, first.Received.Count); // and none twice
        Assert.Equal(Events, other.Received.Count);
        output.WriteLine($"{2 * Events} deliveries by two instances in {elapsed.TotalSeconds:0.0} s: {2 * Events / elapsed.TotalSeconds:0} per second");
    }
}
