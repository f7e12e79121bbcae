using System.CommandLine;
using AuthServer.Data;
using AuthServer.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace AuthServer.Cli;

/// <summary>
/// The operator CLI carried by the server binary: <c>AuthServer keys create …</c>. It runs the same services
/// as the HTTP side against the configured database, then exits.
/// </summary>
public static class AuthServerCli
{
    private static readonly HashSet<string> Verbs = ["accounts", "users", "scopes", "resources", "keys", "bootstrap", HealthProbe.Verb, "--help", "-h", "-?", "--version"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] == HealthProbe.Verb)
        {
            return await HealthProbe.RunAsync(args, System.Console.Out, System.Console.Error);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAuthServerCore();

        using var host = builder.Build();
        return await RunAsync(args, host.Services, System.Console.Out, System.Console.Error, migrate: true);
    }

    /// <summary>Runs one command against <paramref name="services"/>; the tests call this with the server's own services.</summary>
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, bool migrate = false)
    {
        var session = new CliSession(services, output, error);
        var root = new RootCommand("AuthServer: OAuth 2.0 server for API keys. Without a command it serves HTTP; with one it runs the operator CLI.")
        {
            CliSession.JsonOption,
            AccountCommands.Create(session),
            UserCommands.Create(session),
            ScopeCommands.Create(session),
            ResourceCommands.Create(session),
            KeyCommands.Create(session),
            BootstrapCommand.Create(session),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var message = string.Join(' ', parsed.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            await error.WriteLineAsync($"error: {Secrets.ClientSecret.Redact(message)} (see --help)");
            return 2;
        }

        if (migrate && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            var failed = await session.TryAsync(async () =>
            {
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
                await DatabaseInitialization.SeedAsync(services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);
            });
            if (failed != 0)
            {
                return failed;
            }
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
