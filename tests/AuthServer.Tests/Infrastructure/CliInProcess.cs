using System.Text.Json;
using AuthServer.Cli;

namespace AuthServer.Tests.Infrastructure;

/// <summary>The operator CLI run in the test process against a world's services: its exit code and what it wrote.</summary>
public static class CliInProcess
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(IServiceProvider services, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AuthServerCli.RunAsync(args, services, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A command that must succeed, and its JSON output.</summary>
    public static async Task<JsonElement> RunJsonAsync(IServiceProvider services, params string[] args)
    {
        var result = await RunAsync(services, args);
        Xunit.Assert.True(result.Code == 0, result.Err);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }
}
