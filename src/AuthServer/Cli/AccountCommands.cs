using System.CommandLine;
using AuthServer.Accounts;

namespace AuthServer.Cli;

internal static class AccountCommands
{
    public static Command Create(CliSession session)
    {
        var accounts = new Command("accounts", "Accounts (tenants) that own keys.");

        var name = new Option<string>("--name") { Description = "The account's name.", Required = true };
        var limit = new Option<int?>("--key-limit") { Description = "Its own active-key limit (default: ApiKeys:DefaultKeyLimit)." };
        var create = new Command("create", "Create an account.") { name, limit };
        session.Bind(create, async run =>
        {
            var account = await run.Get<AccountService>().CreateAsync(run.Parse.GetRequiredValue(name), run.Parse.GetValue(limit), CliSession.Operator, run.CancellationToken);
            run.Print(account, o => o.WriteLine($"Created account {account.Id} \"{account.Name}\" (key limit {account.KeyLimit})."));
        });

        var list = new Command("list", "List accounts with their key limit and active keys.");
        session.Bind(list, async run =>
        {
            var all = await run.Get<AccountService>().ListAsync(run.CancellationToken);
            run.Print(all, o => TextTable.Write(o, ["ID", "NAME", "ACTIVE LIVE", "ACTIVE TEST", "KEY LIMIT (EACH)", "CREATED"],
                all.Select(a => (IReadOnlyList<string>)[a.Id, a.Name, a.ActiveKeys.ToString(), a.ActiveTestKeys.ToString(), a.KeyLimit + (a.HasOwnLimit ? "" : " (default)"), TextTable.Time(a.CreatedAt)])));
        });

        var accountId = new Argument<string>("account-id") { Description = "The account." };
        var newLimit = new Option<int?>("--limit") { Description = "The new active-key limit." };
        var useDefault = new Option<bool>("--default") { Description = "Go back to the configured default limit." };
        var setLimit = new Command("set-limit", "Set an account's active-key limit.") { accountId, newLimit, useDefault };
        setLimit.Validators.Add(result =>
        {
            if (result.GetValue(newLimit) is null == !result.GetValue(useDefault))
            {
                result.AddError("Give either --limit N or --default.");
            }
        });
        session.Bind(setLimit, async run =>
        {
            var account = await run.Get<AccountService>().SetKeyLimitAsync(run.Parse.GetRequiredValue(accountId), run.Parse.GetValue(newLimit), CliSession.Operator, run.CancellationToken);
            run.Print(account, o => o.WriteLine($"Account {account.Id} may now hold {account.KeyLimit} active keys of each environment{(account.HasOwnLimit ? "" : " (the default)")}; it has {account.ActiveKeys} live and {account.ActiveTestKeys} test."));
        });

        accounts.Add(create);
        accounts.Add(list);
        accounts.Add(setLimit);
        return accounts;
    }
}
