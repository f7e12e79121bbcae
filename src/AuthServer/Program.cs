using AuthServer.Cli;
using AuthServer.Hosting;

try
{
    if (AuthServerCli.ServerArguments(args) is not { } serverArgs)
    {
        return await AuthServerCli.RunAsync(args);
    }

    await AuthServerWeb.Build(serverArgs).RunAsync();
    return 0;
}
catch (Exception exception) when (StartupFailure.Describe(exception) is { } failure)
{
    Console.Error.WriteLine($"AuthServer cannot start: {failure}");
    return 1;
}

/// <summary>Entry point; visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
