using AuthServer.Failures;

namespace AuthServer.Signing;

public static class SigningSetup
{
    /// <summary>
    /// Section <c>Signing</c>: loads the signing keys now, since OpenIddict takes its signing credentials at
    /// registration; that is also why a bad certificate stops the server before anything else starts.
    /// </summary>
    public static SigningKeySet AddSigning(this IHostApplicationBuilder builder)
    {
        // The application's logging does not exist yet: this one only reports a certificate made in Development.
        using var startupLogs = LoggerFactory.Create(logging => logging.AddConsole());
        var signingKeys = SigningKeySet.Load(
            StartupSettings.Bind<SigningOptions>(builder.Configuration, SigningOptions.Section),
            builder.Environment.ContentRootPath,
            generateWhenMissing: builder.Environment.IsDevelopment(),
            DateTimeOffset.UtcNow,
            startupLogs.CreateLogger("AuthServer.Signing"));
        builder.Services.AddSingleton(signingKeys);
        return signingKeys;
    }
}
