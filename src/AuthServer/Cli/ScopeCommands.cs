using System.CommandLine;
using AuthServer.Scopes;

namespace AuthServer.Cli;

internal static class ScopeCommands
{
    public static Command Create(CliSession session)
    {
        var scopes = new Command("scopes", "Scopes: what a key may do, and which resource servers (audiences) that reaches.");

        var name = new Argument<string>("name") { Description = "The scope, e.g. invoices:read." };
        var resources = new Option<string[]>("--resource") { Description = "A resource server this scope grants access to (repeatable).", Required = true, AllowMultipleArgumentsPerToken = false };
        var description = new Option<string?>("--description") { Description = "What the scope allows." };
        var liveOnly = new Option<bool>("--live-only") { Description = "Test keys can neither hold nor use the scope (see 'scopes live-only')." };
        var create = new Command("create", "Define a scope. Only its live-only mark can change afterwards.") { name, resources, description, liveOnly };
        session.Bind(create, async run =>
        {
            var scope = await run.Get<ScopeService>().CreateAsync(
                run.Parse.GetRequiredValue(name), run.Parse.GetValue(description), run.Parse.GetRequiredValue(resources), CliSession.Operator, run.CancellationToken,
                run.Parse.GetValue(liveOnly));
            run.Print(scope, o => o.WriteLine($"Created scope {scope.Name} for {string.Join(", ", scope.Resources)}{(scope.LiveOnly ? ", live keys only" : "")}."));
        });

        var list = new Command("list", "List scopes.");
        session.Bind(list, async run =>
        {
            var all = await run.Get<ScopeService>().ListAsync(run.CancellationToken);
            run.Print(all, o => TextTable.Write(o, ["SCOPE", "RESOURCES", "KEYS", "PUBLISHABLE", "DESCRIPTION"],
                all.Select(s => (IReadOnlyList<string>)[s.Name, string.Join(",", s.Resources), s.LiveOnly ? "live only" : "test and live", s.Publishable ? "yes" : "no", s.Description ?? ""])));
        });

        scopes.Add(create);
        scopes.Add(list);
        scopes.Add(LiveOnlyCommand(session));
        scopes.Add(PublishableCommand(session));
        return scopes;
    }

    private static Command LiveOnlyCommand(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The scope, e.g. invoices:write." };
        var off = new Option<bool>("--off") { Description = "Open the scope to test keys again instead." };
        var command = new Command("live-only",
            "Mark a scope live-only: test keys can no longer be created with it, and test keys that hold it are refused it at the token endpoint " +
            "(on every instance within about a second).") { name, off };
        session.Bind(command, async run =>
        {
            var scope = await run.Get<ScopeService>().SetLiveOnlyAsync(run.Parse.GetRequiredValue(name), !run.Parse.GetValue(off), CliSession.Operator, run.CancellationToken);
            run.Print(scope, o => o.WriteLine(scope.LiveOnly
                ? $"Scope {scope.Name} is now for live keys only."
                : $"Scope {scope.Name} is open to test and live keys."));
        });
        return command;
    }

    private static Command PublishableCommand(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The scope, e.g. traces:write." };
        var off = new Option<bool>("--off") { Description = "Withdraw the scope from browsers instead." };
        var command = new Command("publishable",
            "Mark a scope publishable: the publishable keys of keys holding it may reach it from browsers (on every instance within about a second). " +
            "Admin scopes never can.") { name, off };
        session.Bind(command, async run =>
        {
            var scope = await run.Get<ScopeService>().SetMarksAsync(run.Parse.GetRequiredValue(name), liveOnly: null, !run.Parse.GetValue(off), CliSession.Operator, run.CancellationToken);
            run.Print(scope, o => o.WriteLine(scope.Publishable
                ? $"Scope {scope.Name} is now publishable: publishable keys may reach it from browsers."
                : $"Scope {scope.Name} is no longer reachable with publishable keys."));
        });
        return command;
    }
}
