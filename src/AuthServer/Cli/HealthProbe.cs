using System.CommandLine;

namespace AuthServer.Cli;

/// <summary>
/// <c>AuthServer health [URL]</c>: exit 0 when the server answers its readiness endpoint, 1 otherwise. For
/// container health checks in images that have no curl; it touches no database itself.
/// </summary>
internal static class HealthProbe
{
    private const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    public static Command Create(CliSession session)
    {
        var url = new Argument<Uri>("url")
        {
            Description = $"The readiness endpoint (default {DefaultUrl}).",
            DefaultValueFactory = _ => new Uri(DefaultUrl),
            CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) ? uri : Refuse(result),
        };
        var command = new Command("health", "Exit 0 if the server at URL is ready, 1 otherwise (for container health checks).") { url };
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetRequiredValue(url), session.Output, session.Error));
        return command;
    }

    private static Uri? Refuse(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"'{result.Tokens[0].Value}' is not an absolute URL (default {DefaultUrl}).");
        return null;
    }

    private static async Task<int> RunAsync(Uri url, TextWriter output, TextWriter error)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"error: {url} did not answer ({exception.Message})");
            return 1;
        }
    }
}
