namespace AuthServer.Failures;

/// <summary>Reads the few settings needed while services are registered; a malformed value is a <see cref="StartupException"/>.</summary>
public static class StartupSettings
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            throw new StartupException($"Configuration section '{section}' is invalid: {exception.Message}");
        }

        return options;
    }
}
