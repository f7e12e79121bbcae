using System.Net;
using System.Text.Json;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// Webhooks as a receiver sees them (README "Webhooks"): an account's events reach its endpoints signed the Standard
/// Webhooks way, failed attempts are retried and logged, an endpoint that keeps failing is disabled, and a delivery
/// can be sent again. The receiver is a real loopback port, which these worlds allow.
/// </summary>
public abstract class WebhookTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    [Fact]
    public async Task A_revoked_key_reaches_the_endpoint_once_signed_with_its_secret_and_other_types_do_not()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, secret) = await RegisterAsync(receiver.Url, ["key.revoked"]);
        var key = await world.CreateKeyAsync(["invoices:read"]);

        await world.RevokeKeyAsync(key.Key.KeyId);

        var received = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(received.SignedWith(secret));
        Assert.InRange(long.Parse(received.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal("key.revoked", received.Type);
        var data = received.Json.GetProperty("data");
        Assert.Equal(key.Key.KeyId, data.GetProperty("keyId").GetString());
        Assert.Equal(world.Acme.Id, data.GetProperty("accountId").GetString());
        Assert.Equal(received.Id, data.GetProperty("id").GetString());
        Assert.DoesNotContain(key.Secret, received.Body);

        var events = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events?take=200", world.AdministratorToken);
        var revoked = (await events.ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("keyId").GetString() == key.Key.KeyId && e.GetProperty("type").GetString() == "key.revoked");
        Assert.Equal(revoked.GetProperty("id").GetString(), received.Id); // the webhook-id is the event's stable ID

        var delivery = await DeliveryWhenAsync(id, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Single(await DeliveriesAsync(id));
        Assert.Equal(204, Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray()).GetProperty("statusCode").GetInt32());
        await Task.Delay(500);
        Assert.Single(receiver.Received); // and not again
    }

    [Fact]
    public async Task Failed_attempts_are_retried_with_the_same_webhook_id_and_each_is_in_the_delivery_log()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n <= 2 ? 503 : 200;
        var (id, _) = await RegisterAsync(receiver.Url, ["key.*"]);

        var key = await world.CreateKeyAsync(["invoices:read"]);

        var received = await receiver.WaitForAsync(r => r.Count >= 3);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.All(received, r => Assert.Equal("key.created", r.Type));
        var delivery = await DeliveryWhenAsync(id, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal([503, 503, 200], delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("answered 503", delivery.GetProperty("attemptLog")[0].GetProperty("error").GetString());
        Assert.Equal(key.Key.KeyId, received[0].Json.GetProperty("data").GetProperty("keyId").GetString());
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_audited_and_receives_nothing_until_enabled_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 500;
        var (id, _) = await RegisterAsync(receiver.Url, ["*"]);

        await world.CreateKeyAsync(["invoices:read"]);

        var endpoint = await EndpointWhenAsync(id, e => !e.GetProperty("enabled").GetBoolean());
        Assert.StartsWith("failed every attempt", endpoint.GetProperty("disabledReason").GetString());
        var audited = await world.InScope<AuthDbContext, List<AuditEntry>>(db => db.AuditEntries.Where(e => e.Subject == id).ToListAsync());
        Assert.Contains(audited, e => e.Action == AuditActions.WebhookDisabledAfterFailures && e.ActorId == "system:webhooks");
        Assert.Equal("failed", (await DeliveriesAsync(id))[0].GetProperty("status").GetString());

        var countWhileDisabled = receiver.Received.Count;
        await world.CreateKeyAsync(["invoices:read"]);
        await Task.Delay(600);
        Assert.Equal(countWhileDisabled, receiver.Received.Count);
        Assert.Single(await DeliveriesAsync(id)); // nothing queued for a disabled endpoint

        receiver.Answer = _ => 204;
        using var enabled = await world.AdminAsync(HttpMethod.Patch, WebhookPath(id), world.AdministratorToken, new { enabled = true });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(0, (await enabled.ReadJsonAsync()).GetProperty("consecutiveFailures").GetInt32());
        await world.CreateKeyAsync(["invoices:read"]);
        var received = await receiver.WaitForAsync(r => r.Count > countWhileDisabled);
        Assert.Equal("key.created", received[^1].Type);
    }

    [Fact]
    public async Task A_delivery_can_be_sent_again_with_the_same_webhook_id_and_the_log_shows_both_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, secret) = await RegisterAsync(receiver.Url, ["key.created"]);
        await world.CreateKeyAsync(["invoices:read"]);
        var first = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        var delivery = await DeliveryWhenAsync(id, d => d.GetProperty("status").GetString() == "delivered");

        using var again = await world.AdminAsync(HttpMethod.Post, $"{WebhookPath(id)}/deliveries/{delivery.GetProperty("id").GetInt64()}/redeliver", world.AdministratorToken);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var received = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(first.Id, received[1].Id);
        Assert.True(received[1].SignedWith(secret));
        var logged = await DeliveryWhenAsync(id, d => d.GetProperty("attempts").GetInt32() == 2 && d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(2, logged.GetProperty("attemptLog").GetArrayLength());
    }

    [Fact]
    public async Task Endpoints_are_listed_read_and_changed_without_their_secret_and_deleting_one_stops_its_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, secret) = await RegisterAsync(receiver.Url, ["key.revoked"], "billing sync");

        using var list = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.ViewerToken);
        var listed = await list.Content.ReadAsStringAsync();
        Assert.Contains(id, listed);
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain(secret[6..], listed);

        using var changed = await world.AdminAsync(HttpMethod.Patch, WebhookPath(id), world.AdministratorToken, new { eventTypes = new[] { "member.*", "key.revoked" } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(["key.revoked", "member.*"], (await changed.ReadJsonAsync()).GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));

        using var deleted = await world.AdminAsync(HttpMethod.Delete, WebhookPath(id), world.AdministratorToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(key.Key.KeyId);
        await Task.Delay(600);
        Assert.Empty(receiver.Received);
        using var gone = await world.AdminAsync(HttpMethod.Get, WebhookPath(id), world.AdministratorToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{"eventTypes":["key.revoked"]}""", "url")]
    [InlineData("""{"url":"not a url","eventTypes":["key.revoked"]}""", "url")]
    [InlineData("""{"url":"ftp://127.0.0.1/hooks","eventTypes":["key.revoked"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@127.0.0.1/hooks","eventTypes":["key.revoked"]}""", "url")]
    [InlineData("""{"url":"https://127.0.0.1/hooks","eventTypes":[]}""", "eventTypes")]
    [InlineData("""{"url":"https://127.0.0.1/hooks","eventTypes":["key.revokd"]}""", "eventTypes")]
    [InlineData("""{"url":"https://127.0.0.1/hooks","eventTypes":["account.created"]}""", "eventTypes")]
    public async Task A_bad_registration_is_a_400_problem_naming_the_field_and_stores_nothing(string body, string field)
    {
        var before = await CountEndpointsAsync();

        using var response = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.AdministratorToken, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await CountEndpointsAsync());
    }

    [Fact]
    public async Task A_url_whose_normal_form_is_too_long_is_a_400_not_a_database_error()
    {
        var url = "https://127.0.0.1/" + new string('\u00e9', 1000); // 1,018 characters sent, 6,018 once escaped

        using var response = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.AdministratorToken,
            new { url, eventTypes = new[] { "key.revoked" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 2000 characters", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_accounts_endpoint_and_an_unknown_delivery_are_404s_and_a_disabled_endpoint_is_not_redelivered_to()
    {
        var (id, _) = await RegisterAsync("https://127.0.0.1:9/hooks", ["key.revoked"]);

        using var other = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Other.Id}/webhooks/{id}", world.OperatorToken);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var unknown = await world.AdminAsync(HttpMethod.Post, $"{WebhookPath(id)}/deliveries/999999/redeliver", world.AdministratorToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var notNumber = await world.AdminAsync(HttpMethod.Post, $"{WebhookPath(id)}/deliveries/abc/redeliver", world.AdministratorToken);
        Assert.Equal(HttpStatusCode.BadRequest, notNumber.StatusCode);

        using var disabled = await world.AdminAsync(HttpMethod.Patch, WebhookPath(id), world.AdministratorToken, new { enabled = false });
        Assert.StartsWith("disabled by ", (await disabled.ReadJsonAsync()).GetProperty("disabledReason").GetString());
        using var refused = await world.AdminAsync(HttpMethod.Post, $"{WebhookPath(id)}/deliveries/1/redeliver", world.AdministratorToken);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    private string WebhookPath(string id) => $"/admin/v1/accounts/{world.Acme.Id}/webhooks/{id}";

    private async Task<(string Id, string Secret)> RegisterAsync(string url, string[] types, string? description = null)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, $"/admin/v1/accounts/{world.Acme.Id}/webhooks", world.AdministratorToken,
            new { url, eventTypes = types, description });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var json = await response.ReadJsonAsync();
        var secret = json.GetProperty("signingSecret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.False(json.GetProperty("endpoint").TryGetProperty("signingSecret", out _));
        return (json.GetProperty("endpoint").GetProperty("id").GetString()!, secret);
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string id)
    {
        using var response = await world.AdminAsync(HttpMethod.Get, $"{WebhookPath(id)}/deliveries", world.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<JsonElement> DeliveryWhenAsync(string id, Func<JsonElement, bool> ready)
    {
        for (var waited = 0; ; waited += 100)
        {
            var log = await DeliveriesAsync(id);
            if (log.Count > 0 && ready(log[0]))
            {
                return log[0];
            }

            Assert.True(waited < 10_000, $"The delivery log did not get there: {string.Join(", ", log)}");
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> EndpointWhenAsync(string id, Func<JsonElement, bool> ready)
    {
        for (var waited = 0; ; waited += 100)
        {
            using var response = await world.AdminAsync(HttpMethod.Get, WebhookPath(id), world.ViewerToken);
            var endpoint = await response.ReadJsonAsync();
            if (ready(endpoint))
            {
                return endpoint;
            }

            Assert.True(waited < 10_000, $"The endpoint did not get there: {endpoint}");
            await Task.Delay(100);
        }
    }

    private Task<int> CountEndpointsAsync() =>
        world.InScope<AuthDbContext, int>(db => db.Set<AuthServer.Webhooks.WebhookEndpoint>().CountAsync());
}

/// <summary>Settings that let tests use a loopback receiver and see retries and disabling in seconds.</summary>
public static class WebhookTestSettings
{
    public static Dictionary<string, string?> With(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            ["Webhooks:PollInterval"] = "00:00:00.050",
            ["Webhooks:RetrySchedule:0"] = "00:00:00.100",
            ["Webhooks:RetrySchedule:1"] = "00:00:00.100",
            ["Webhooks:RetrySchedule:2"] = "00:00:00.100",
            ["Webhooks:AttemptTimeout"] = "00:00:02",
            ["Webhooks:DisableAfter"] = "00:00:00",
            ["Webhooks:DisableAfterFailures"] = "4",
        };
        return all;
    }
}

public sealed class WebhookWorld() : AdminWorld(WebhookTestSettings.With());

public sealed class PostgresWebhookWorld() : AdminWorld(WebhookTestSettings.With(PostgresWorld.PostgresSettings(PostgresCluster.Shared)));

public sealed class WebhookTestsOnSqlite(WebhookWorld world) : WebhookTests<WebhookWorld>(world);

public sealed class WebhookTestsOnPostgreSql(PostgresWebhookWorld world) : WebhookTests<PostgresWebhookWorld>(world);
