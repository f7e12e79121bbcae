using AuthServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthServer.Browser;

/// <summary>Browser mode: publishable keys, their origins, signing secrets and identity tokens (README "Browser mode").</summary>
public static class BrowserSetup
{
    /// <summary>What the server and the CLI both need: managing publishable keys, and Data Protection with its key ring in the database.</summary>
    public static IServiceCollection AddPublishableKeys(this IServiceCollection services)
    {
        // One key ring for every instance (and the CLI), in AuthServer's database: signing secrets encrypted by one
        // instance are read by all. The console's cookies and antiforgery tokens use it too.
        services.AddDataProtection().SetApplicationName("AuthServer").PersistKeysToDbContext<AuthDbContext>();
        services.AddSingleton<SigningSecretProtector>();
        services.AddScoped<PublishableKeyService>();
        return services;
    }

    /// <summary>Section <c>Browser</c>, and the token endpoint's service of publishable keys.</summary>
    public static IServiceCollection AddBrowserMode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowserOptions>().Bind(configuration.GetSection(BrowserOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrowserOptions>, ValidateBrowserOptions>();
        services.AddSingleton<BrowserTokenThrottle>();
        services.AddSingleton<IdentityTokenValidator>();
        services.AddSingleton<PublishableTokenValidator>();
        services.AddSingleton<AllowedOriginIndex>();
        return services;
    }
}
