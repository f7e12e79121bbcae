using System.Diagnostics;
using System.Globalization;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Runs one of scripts/*-throwaway.sh (start|stop FOLDER [PORT]) with this test process as the owner whose end stops
/// the server, and answers what it printed (the connection string on start).
/// </summary>
public static class ThrowawayScript
{
    public static string Run(string script, string ownerVariable, string command, string folder, int? port = null)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryFiles.Root, "scripts", script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(folder);
        if (port is not null)
        {
            start.ArgumentList.Add(port.Value.ToString(CultureInfo.InvariantCulture));
        }

        start.Environment[ownerVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{script} {command} failed: {error}");
    }
}
