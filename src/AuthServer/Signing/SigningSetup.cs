using AuthServer.Failures;
using Microsoft.Extensions.Options;

namespace AuthServer.Signing;

public static class SigningSetup
{
    /// <summary>
    /// Section <c>Signing</c>: loads the certificates from files now, since OpenIddict takes its signing credentials at
    /// registration; that is also why a bad certificate stops the server before anything else starts. With rotation the
    /// keys in the database are read by <see cref="SigningKeyRotation"/> before the server starts serving.
    /// </summary>
    public static SigningKeySet AddSigning(this IHostApplicationBuilder builder)
    {
        var options = StartupSettings.Bind<SigningOptions>(builder.Configuration, SigningOptions.Section);
        if (new ValidateSigningOptions().Validate(null, options) is { Failed: true } invalid)
        {
            throw new StartupException(string.Join(" ", invalid.Failures));
        }

        // The application's logging does not exist yet: this one only reports a certificate made in Development.
        using var startupLogs = LoggerFactory.Create(logging => logging.AddConsole());
        var signingKeys = SigningKeySet.Load(
            options,
            builder.Environment.ContentRootPath,
            generateWhenMissing: builder.Environment.IsDevelopment(),
            DateTimeOffset.UtcNow,
            startupLogs.CreateLogger("AuthServer.Signing"));
        var services = builder.Services;
        services.AddSingleton(signingKeys);
        services.AddOptions<SigningOptions>().Bind(builder.Configuration.GetSection(SigningOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SigningOptions>, ValidateSigningOptions>();
        if (options.Rotation.Enabled)
        {
            services.AddSingleton<SigningKeyMaterial>();
            services.AddSingleton<SigningKeyRotation>();
            services.AddHostedService(provider => provider.GetRequiredService<SigningKeyRotation>());
        }

        return signingKeys;
    }
}
