using System.CommandLine;
using AuthServer.Accounts;
using AuthServer.Webhooks;

namespace AuthServer.Cli;

/// <summary><c>webhooks add | list | remove | deliveries | redeliver</c>: an account's webhook endpoints (README "Webhooks").</summary>
internal static class WebhookCommands
{
    public static Command Create(CliSession session)
    {
        var webhooks = new Command("webhooks", "Endpoints that receive an account's lifecycle events, signed the Standard Webhooks way.");
        webhooks.Add(AddCommand(session));
        webhooks.Add(ListCommand(session));
        webhooks.Add(RemoveCommand(session));
        webhooks.Add(DeliveriesCommand(session));
        webhooks.Add(RedeliverCommand(session));
        return webhooks;
    }

    private static Option<string> Account() => new("--account") { Description = "The account the endpoint belongs to.", Required = true };

    private static Argument<string> WebhookId() => new("webhook-id") { Description = "The endpoint's ID (whk_…)." };

    private static Command AddCommand(CliSession session)
    {
        var account = Account();
        var url = new Option<string>("--url") { Description = "The https:// address that receives the events.", Required = true };
        var events = new Option<string[]>("--event") { Description = "An event type (repeatable): key.revoked, key.*, member.*, or * for all.", Required = true };
        var description = new Option<string?>("--description") { Description = "What the endpoint is, for people." };
        var command = new Command("add", "Register an endpoint; its signing secret is printed once.") { account, url, events, description };
        session.Bind(command, async run =>
        {
            var accountId = run.Parse.GetRequiredValue(account);
            await run.Get<AccountService>().RequireAsync(accountId, run.CancellationToken);
            var created = await run.Get<WebhookService>().CreateAsync(accountId,
                new WebhookEndpointRequest(run.Parse.GetRequiredValue(url), run.Parse.GetRequiredValue(events), run.Parse.GetValue(description)),
                CliSession.Operator, run.CancellationToken);
            run.Print(created, o =>
            {
                o.WriteLine($"Registered webhook endpoint {created.Endpoint.Id} for {string.Join(", ", created.Endpoint.EventTypes)} at {created.Endpoint.Url}");
                o.WriteLine("Signing secret (shown this once; store it now):");
                o.WriteLine(created.SigningSecret);
            });
        });
        return command;
    }

    private static Command ListCommand(CliSession session)
    {
        var account = Account();
        var command = new Command("list", "List the account's endpoints: ID, URL, event types, state.") { account };
        session.Bind(command, async run =>
        {
            var endpoints = await run.Get<WebhookService>().ListAsync(run.Parse.GetRequiredValue(account), run.CancellationToken);
            run.Print(endpoints, o => TextTable.Write(o, ["ID", "URL", "EVENTS", "STATE"], endpoints.Select(e => (IReadOnlyList<string>)
                [e.Id, e.Url, string.Join(' ', e.EventTypes), e.Enabled ? (e.ConsecutiveFailures > 0 ? $"failing ({e.ConsecutiveFailures})" : "enabled") : $"disabled: {e.DisabledReason}"])));
        });
        return command;
    }

    private static Command RemoveCommand(CliSession session)
    {
        var account = Account();
        var id = WebhookId();
        var command = new Command("remove", "Remove an endpoint and its delivery log.") { account, id };
        session.Bind(command, async run =>
        {
            await run.Get<WebhookService>().DeleteAsync(run.Parse.GetRequiredValue(account), run.Parse.GetRequiredValue(id), CliSession.Operator, run.CancellationToken);
            run.Print(new { removed = run.Parse.GetRequiredValue(id) }, o => o.WriteLine($"Removed webhook endpoint {run.Parse.GetRequiredValue(id)}."));
        });
        return command;
    }

    private static Command DeliveriesCommand(CliSession session)
    {
        var account = Account();
        var id = WebhookId();
        var take = new Option<int>("--take") { Description = $"Show at most this many deliveries (1-{Data.Paging.MaxPageSize}).", DefaultValueFactory = _ => 50 };
        var command = new Command("deliveries", "The endpoint's delivery log, newest first: event, status, attempts, last answer.") { account, id, take };
        session.Bind(command, async run =>
        {
            var page = await run.Get<WebhookService>().DeliveriesAsync(
                run.Parse.GetRequiredValue(account), run.Parse.GetRequiredValue(id), 0, run.Parse.GetValue(take), run.CancellationToken);
            run.Print(page, o => TextTable.Write(o, ["DELIVERY", "EVENT", "TYPE", "STATUS", "ATTEMPTS", "LAST"], page.Items.Select(d => (IReadOnlyList<string>)
                [d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), d.EventId, d.EventType, d.Status.ToString().ToLowerInvariant(),
                 d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), d.AttemptLog.Count > 0 ? d.AttemptLog[^1].Error ?? $"answered {d.AttemptLog[^1].StatusCode}" : "-"])));
        });
        return command;
    }

    private static Command RedeliverCommand(CliSession session)
    {
        var account = Account();
        var id = WebhookId();
        var delivery = new Argument<long>("delivery-id") { Description = "The delivery's ID, from webhooks deliveries." };
        var command = new Command("redeliver", "Send a delivery again, once, with the same webhook-id.") { account, id, delivery };
        session.Bind(command, async run =>
        {
            var sent = await run.Get<WebhookService>().RedeliverAsync(
                run.Parse.GetRequiredValue(account), run.Parse.GetRequiredValue(id), run.Parse.GetRequiredValue(delivery), CliSession.Operator, run.CancellationToken);
            run.Print(sent, o => o.WriteLine($"Delivery {sent.Id} of {sent.EventId} will be sent again within a second by a running server."));
        });
        return command;
    }
}
