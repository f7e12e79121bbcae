using System.CommandLine;

namespace AuthServer.Cli;

/// <summary>
/// The operator CLI carried by the server binary: <c>AuthServer keys create …</c>. It runs the same services
/// as the HTTP side against the configured database, then exits.
/// </summary>
public static class AuthServerCli
{
    /// <summary>The arguments for the HTTP server, or null when <paramref name="args"/> is a CLI command.</summary>
    public static string[]? ServerArguments(string[] args) => CommandLineSettings.ServerArguments(args);

    public static async Task<int> RunAsync(string[] args)
    {
        var (settings, command) = CommandLineSettings.Split(args);
        using var host = new CliHost(settings);
        return await RunAsync(command, () => host.Services, System.Console.Out, System.Console.Error);
    }

    /// <summary>Runs one command against <paramref name="services"/>; the tests call this with the server's own services.</summary>
    public static Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error) =>
        RunAsync(args, () => services, output, error);

    private static async Task<int> RunAsync(string[] args, Func<IServiceProvider> services, TextWriter output, TextWriter error)
    {
        var session = new CliSession(services, output, error);
        var root = new RootCommand(
            "AuthServer: OAuth 2.0 server for API keys. With no command (or `serve`) it serves HTTP; with one it runs the operator CLI. " +
            "Settings go anywhere on the line as --Section:Key=value (e.g. --Database:ConnectionString=\"Data Source=data/authserver.db\") " +
            "and override appsettings.json and environment variables, for the server and for every command.")
        {
            CliSession.JsonOption,
            new Command(CommandLineSettings.Serve, "Serve HTTP (the default with no command); takes settings only, e.g. serve --Urls=http://127.0.0.1:5080."),
            AccountCommands.Create(session),
            UserCommands.Create(session),
            ScopeCommands.Create(session),
            ResourceCommands.Create(session),
            KeyCommands.Create(session),
            WebhookCommands.Create(session),
            BootstrapCommand.Create(session),
            DatabaseCommands.Migrate(session),
            DatabaseCommands.Status(session),
            HealthProbe.Create(session),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var message = string.Join(' ', parsed.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            await error.WriteLineAsync($"error: {Secrets.ClientSecret.Redact(message)} (see --help)");
            return 2;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
