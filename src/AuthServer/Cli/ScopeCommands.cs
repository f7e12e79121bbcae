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
        var create = new Command("create", "Define a scope. It cannot be changed afterwards.") { name, resources, description };
        session.Bind(create, async run =>
        {
            var scope = await run.Get<ScopeService>().CreateAsync(
                run.Parse.GetRequiredValue(name), run.Parse.GetValue(description), run.Parse.GetRequiredValue(resources), CliSession.Operator, run.CancellationToken);
            run.Print(scope, o => o.WriteLine($"Created scope {scope.Name} for {string.Join(", ", scope.Resources)}."));
        });

        var list = new Command("list", "List scopes.");
        session.Bind(list, async run =>
        {
            var all = await run.Get<ScopeService>().ListAsync(run.CancellationToken);
            run.Print(all, o => TextTable.Write(o, ["SCOPE", "RESOURCES", "DESCRIPTION"],
                all.Select(s => (IReadOnlyList<string>)[s.Name, string.Join(",", s.Resources), s.Description ?? ""])));
        });

        scopes.Add(create);
        scopes.Add(list);
        return scopes;
    }
}
