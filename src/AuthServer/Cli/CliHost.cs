using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// The services a CLI command runs on, built only when a command needs them: configuration (with the command
/// line's settings), the database and the domain services; no web server, token server or admin API.
/// </summary>
internal sealed class CliHost(string[] settings) : IDisposable
{
    private IHost? _host;

    public IServiceProvider Services => (_host ??= Build(settings)).Services;

    public void Dispose() => _host?.Dispose();

    private static IHost Build(string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = settings,
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAuthServerCore();

        var host = builder.Build();
        try
        {
            // The server checks its settings when it starts; a CLI command never starts the host, so check them here.
            host.Services.GetService<IStartupValidator>()?.Validate();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
