using System.Diagnostics;

namespace AuthServer.Tests.Infrastructure;

/// <summary>Runs a program the tests need from outside .NET (node, python3), failing with what to install when it is missing.</summary>
public static class ExternalTool
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(
        string program, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryFiles.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The path of a file that must exist, or a failure saying how to get it (as .ci/run does).</summary>
    public static string Require(string path, string howToGetIt)
    {
        Assert.True(File.Exists(path), $"{path} is missing: {howToGetIt}");
        return path;
    }
}
