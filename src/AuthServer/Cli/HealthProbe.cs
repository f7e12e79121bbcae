namespace AuthServer.Cli;

/// <summary>
/// <c>AuthServer health [URL]</c>: exit 0 when the server answers its readiness endpoint, 1 otherwise. For
/// container health checks in images that have no curl; it touches no database itself.
/// </summary>
internal static class HealthProbe
{
    public const string Verb = "health";
    private const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 2 || (args.Length == 2 && !Uri.TryCreate(args[1], UriKind.Absolute, out _)))
        {
            await error.WriteLineAsync($"error: usage: AuthServer health [URL] (default {DefaultUrl})");
            return 2;
        }

        var url = args.Length == 2 ? args[1] : DefaultUrl;
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
