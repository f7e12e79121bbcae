using System.CommandLine;
using AuthServer.Admin;

namespace AuthServer.Cli;

internal static class BootstrapCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("bootstrap", $"Create the first operator key ({AdminScopes.Operator}) for the admin API; its secret is printed once.");
        session.Bind(command, async run =>
        {
            var created = await run.Get<OperatorBootstrap>().RunAsync(CliSession.Operator, run.CancellationToken);
            run.Print(created, o =>
            {
                o.WriteLine($"Created operator key {created.Key.KeyId} in account {created.Key.AccountId} (\"{OperatorBootstrap.AccountName}\").");
                o.WriteLine("Secret (shown this once; store it now):");
                o.WriteLine(created.Secret);
                o.WriteLine($"Get an admin token with: curl -u {created.Key.KeyId}:SECRET -d grant_type=client_credentials <server>/connect/token");
            });
        });
        return command;
    }
}
