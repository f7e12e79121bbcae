using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.Audit;
using AuthServer.Failures;
using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>What every command needs: services in a fresh scope, output in text or JSON, and one error line on failure.</summary>
internal sealed class CliSession(IServiceProvider services, TextWriter output, TextWriter error)
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

    /// <summary>Binds a command's action: runs it in its own DI scope and turns failures into one line and exit code 1.</summary>
    public void Bind(Command command, Func<CommandRun, Task> action) =>
        command.SetAction((parseResult, cancellationToken) => TryAsync(async () =>
        {
            await using var scope = services.CreateAsyncScope();
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
            await error.WriteLineAsync($"error: {exception.Message}");
        }
        catch (StartupException exception)
        {
            await error.WriteLineAsync($"error: {exception.Message}");
        }
        catch (Exception exception) when (exception is DbException or TimeoutException || exception.InnerException is DbException)
        {
            await error.WriteLineAsync($"error: the database could not be used ({FirstLine((exception.InnerException ?? exception).Message)})");
        }

        return 1;
    }

    public void WriteJson(object value) => output.WriteLine(JsonSerializer.Serialize(value, JsonFormat));

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
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
