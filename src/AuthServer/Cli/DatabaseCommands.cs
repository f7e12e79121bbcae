using System.CommandLine;
using AuthServer.Data;

namespace AuthServer.Cli;

/// <summary><c>migrate</c> and <c>status</c>: the only commands that may meet a missing or outdated database.</summary>
internal static class DatabaseCommands
{
    public static Command Migrate(CliSession session)
    {
        var command = new Command("migrate", "Create the configured database if it does not exist and apply pending migrations (the server does this when it starts).");
        session.Bind(command, async run =>
        {
            await run.Get<DatabaseMigrator>().ApplyAsync(run.CancellationToken);
            await DatabaseInitialization.SeedAsync(run.Get<IServiceScopeFactory>(), run.CancellationToken);
            var state = await DatabaseState.ReadAsync(run.Services, run.CancellationToken);
            run.Print(state, o => o.WriteLine($"database: {state.Describe()}"));
        }, anyDatabase: true);
        return command;
    }

    public static Command Status(CliSession session)
    {
        var command = new Command("status", "Say which database the configuration points at and whether its schema is up to date; changes nothing.");
        session.Bind(command, async run =>
        {
            var state = await DatabaseState.ReadAsync(run.Services, run.CancellationToken);
            var environment = run.Get<IHostEnvironment>().EnvironmentName;
            run.Print(new { environment, database = state }, o =>
            {
                o.WriteLine($"environment: {environment}");
                o.WriteLine($"database: {state.Describe()}");
            });
        }, anyDatabase: true);
        return command;
    }
}
