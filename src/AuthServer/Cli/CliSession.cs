using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>What every command needs: services in a fresh scope, output in text or JSON, and one error line on failure.</summary>
internal sealed class CliSession(Func<IServiceProvider> services, TextWriter output, TextWriter error)
{
    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print JSON (for scripts) instead of text.",
        Recursive = true,
    };

    private static readonly JsonSerializerOptions JsonFormat = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Output => output;

    /// <summary>Who the audit log names for changes made from the CLI.</summary>
    public static Actor Operator => Actor.Cli();

    public TextWriter Error => error;

    /// <summary>
    /// Binds a command's action: runs it in its own DI scope and turns failures into one line and exit code 1.
    /// Unless <paramref name="anyDatabase"/>, the database must already have AuthServer's current schema.
    /// </summary>
    public void Bind(Command command, Func<CommandRun, Task> action, bool anyDatabase = false) =>
        command.SetAction((parseResult, cancellationToken) => TryAsync(async () =>
        {
            var provider = services();
            if (!anyDatabase)
            {
                await RequireDatabaseAsync(provider, cancellationToken);
            }

            await using var scope = provider.CreateAsyncScope();
            await action(new CommandRun(this, parseResult, scope.ServiceProvider, parseResult.GetValue(JsonOption), cancellationToken));
        }));

    public async Task<int> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (AuthServerException exception)
        {
            // One line, whatever the input echoed in the message held (a key ID with a newline in it).
            await error.WriteLineAsync($"error: {OneLine(exception.Message)}");
        }
        catch (Exception exception) when (StartupFailure.Describe(exception) is { } failure)
        {
            await error.WriteLineAsync($"error: {failure}");
        }
        catch (Exception exception) when (exception is DbException or TimeoutException || exception.InnerException is DbException)
        {
            await error.WriteLineAsync($"error: the database could not be used ({FirstLine((exception.InnerException ?? exception).Message)})");
        }

        return 1;
    }

    /// <summary>A command never creates or upgrades a database by accident: the server's start-up and <c>migrate</c> do.</summary>
    private static async Task RequireDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var state = await DatabaseState.ReadAsync(services, cancellationToken);
        var environment = services.GetRequiredService<IHostEnvironment>().EnvironmentName;
        if (!state.Exists)
        {
            throw new NotFoundException(
                $"no AuthServer database at {state.Location} ({state.Provider}, environment {environment}); start the server to create it, run `AuthServer migrate` to create it here, or point --Database:ConnectionString=… at yours.");
        }

        if (state.Pending > 0)
        {
            throw new ConflictException($"the database at {state.Location} needs {state.Pending} migration(s); start the server or run `AuthServer migrate`.");
        }
    }

    public void WriteJson(object value) => output.WriteLine(JsonSerializer.Serialize(value, JsonFormat));

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string OneLine(string message) => string.Concat(message.Select(c => char.IsControl(c) ? '?' : c));
}

internal sealed record CommandRun(CliSession Session, ParseResult Parse, IServiceProvider Services, bool Json, CancellationToken CancellationToken)
{
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public TextWriter Out => Session.Output;

    /// <summary>Prints <paramref name="model"/> as JSON with --json, otherwise runs <paramref name="text"/>.</summary>
    public void Print(object model, Action<TextWriter> text)
    {
        if (Json)
        {
            Session.WriteJson(model);
        }
        else
        {
            text(Out);
        }
    }
}
