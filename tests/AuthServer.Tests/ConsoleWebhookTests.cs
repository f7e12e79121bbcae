using System.Net;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>Webhooks at the console, as an administrator and a member see them, with a real loopback receiver.</summary>
public sealed class ConsoleWebhookTests(WebhookWorld world) : IClassFixture<WebhookWorld>
{
    private static string NewEmail() => $"w{Guid.NewGuid():N}"[..12] + "@example.com";

    [Fact]
    public async Task An_administrator_adds_an_endpoint_sees_its_secret_once_and_its_deliveries_and_sends_one_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var account = await world.CreateAccountAsync($"Hooks {Guid.NewGuid():N}"[..20]);
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        var page = $"/console/accounts/{account.Id}/webhooks";
        Assert.Contains(page, await admin.PageAsync($"/console/accounts/{account.Id}/keys")); // in the navigation

        using var added = await admin.SubmitAsync(page, page, new() { ["url"] = receiver.Url, ["eventTypes"] = "key.created" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.True(added.Headers.CacheControl?.NoStore);
        var text = await ConsoleClient.TextOfAsync(added);
        var secret = System.Text.RegularExpressions.Regex.Match(text, "whsec_[A-Za-z0-9+/=]+").Value;
        Assert.NotEmpty(secret);
        Assert.Contains("shown only this once", text);
        Assert.DoesNotContain(secret, await admin.PageAsync(page));

        await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        var received = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(received.SignedWith(secret));

        var list = await admin.PageAsync(page);
        var deliveries = System.Text.RegularExpressions.Regex.Match(list, $"/console/accounts/{account.Id}/webhooks/whk_[0-9a-f]+").Value;
        // The attempt is recorded once its batch is done, a moment after the receiver has the request.
        var log = await admin.PageAsync(deliveries);
        for (var waited = 0; !log.Contains("answered 204") && waited < 10_000; waited += 100)
        {
            await Task.Delay(100);
            log = await admin.PageAsync(deliveries);
        }

        Assert.Contains("key.created", log);
        Assert.Contains("answered 204", log);
        var deliveryId = System.Text.RegularExpressions.Regex.Match(log, "name=\"deliveryId\" value=\"(\\d+)\"").Groups[1].Value;

        using var again = await admin.SubmitAsync(deliveries, deliveries + "?handler=Redeliver", new() { ["deliveryId"] = deliveryId });
        Assert.Contains("will be sent again", await ConsoleClient.TextOfAsync(again));
        var twice = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(twice[0].Id, twice[1].Id);
    }

    [Fact]
    public async Task An_internal_address_is_explained_and_a_member_sees_endpoints_without_the_forms()
    {
        var account = await world.CreateAccountAsync($"Hooks {Guid.NewGuid():N}"[..20]);
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator);
        using var member = await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Member);
        var page = $"/console/accounts/{account.Id}/webhooks";

        using var refused = await admin.SubmitAsync(page, page, new() { ["url"] = "https://169.254.169.254/latest", ["eventTypes"] = "key.revoked" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("loopback, private, link-local or reserved", await ConsoleClient.TextOfAsync(refused));
        using var noTypes = await admin.SubmitAsync(page, page, new() { ["url"] = "https://93.184.216.34/hooks" });
        Assert.Contains("eventTypes is required", await ConsoleClient.TextOfAsync(noTypes));

        using var added = await admin.SubmitAsync(page, page, new() { ["url"] = "https://93.184.216.34/hooks", ["eventTypes"] = "*" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var seen = await member.PageAsync(page);
        Assert.Contains("https://93.184.216.34/hooks", seen);
        Assert.Contains("Only administrators can add webhook endpoints", seen);
        Assert.DoesNotContain("handler=Remove", seen);
        Assert.DoesNotContain("whsec_", seen);
    }
}
