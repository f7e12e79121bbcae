namespace AuthServer.Cli;

/// <summary>
/// How settings and commands share the command line. No arguments, <c>serve …</c>, or only <c>--Name=value</c>
/// settings start the server; anything else is a CLI command, in which <c>--Section:Key=value</c> (a name with a
/// colon, so never one of the CLI's own options) is a setting.
/// </summary>
internal static class CommandLineSettings
{
    public const string Serve = "serve";

    /// <summary>The arguments for the HTTP server, or null when <paramref name="args"/> is a CLI command.</summary>
    public static string[]? ServerArguments(string[] args) =>
        args.Length > 0 && args[0] == Serve ? args[1..]
        : args.All(IsServerSetting) ? args
        : null;

    public static (string[] Settings, string[] Command) Split(string[] args) =>
        (args.Where(IsSetting).ToArray(), args.Where(arg => !IsSetting(arg)).ToArray());

    private static bool IsSetting(string arg) => IsServerSetting(arg) && arg.AsSpan(2, arg.IndexOf('=') - 2).Contains(':');

    private static bool IsServerSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') > 2;
}
