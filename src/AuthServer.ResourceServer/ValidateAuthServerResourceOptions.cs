using System.Net;
using Microsoft.Extensions.Options;

namespace AuthServer.ResourceServer;

/// <summary>Refuses to start with settings that could not validate a token, each failure naming its setting.</summary>
internal sealed class ValidateAuthServerResourceOptions : IValidateOptions<AuthServerResourceOptions>
{
    public static readonly TimeSpan MaxApiKeyCacheDuration = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, AuthServerResourceOptions options)
    {
        var failures = new List<string>();
        if (options.Issuer is not { IsAbsoluteUri: true } issuer)
        {
            failures.Add("AuthServer:Issuer is required: the AuthServer's issuer URI, e.g. https://auth.example.com/.");
        }
        else if (issuer.Scheme != Uri.UriSchemeHttps && !(issuer.Scheme == Uri.UriSchemeHttp && IsLoopback(issuer)))
        {
            // Keys fetched over plain HTTP from another machine could be swapped on the way.
            failures.Add($"AuthServer:Issuer must use https (plain http is accepted for a loopback address only); it is '{issuer}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("AuthServer:Audience is required: this API's resource-server name, which its tokens carry in 'aud'.");
        }

        if (options.Mode == TokenValidationMode.Introspection && string.IsNullOrEmpty(options.ClientSecret))
        {
            failures.Add("AuthServer:ClientSecret is required when AuthServer:Mode is Introspection (see 'resources create NAME --introspection').");
        }

        if (options.AcceptApiKeys && string.IsNullOrEmpty(options.ClientSecret))
        {
            failures.Add("AuthServer:ClientSecret is required when AuthServer:AcceptApiKeys is true: API keys are checked by introspection (see 'resources create NAME --introspection').");
        }

        foreach (var (setting, duration) in new[] { ("ApiKeyCacheDuration", options.ApiKeyCacheDuration), ("ApiKeyNegativeCacheDuration", options.ApiKeyNegativeCacheDuration) })
        {
            if (duration <= TimeSpan.Zero || duration > MaxApiKeyCacheDuration)
            {
                failures.Add($"AuthServer:{setting} must be positive and at most {MaxApiKeyCacheDuration} (a revoked key is accepted for up to this long); it is {duration}.");
            }
        }

        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add("AuthServer:Mode must be Local or Introspection.");
        }

        if (options.MinimumKeyRefreshInterval <= TimeSpan.Zero || options.KeyRefreshInterval < options.MinimumKeyRefreshInterval)
        {
            failures.Add("AuthServer:MinimumKeyRefreshInterval must be positive and AuthServer:KeyRefreshInterval at least as long.");
        }

        if (options.AcceptedEnvironment is not (null or "live" or "test"))
        {
            failures.Add($"AuthServer:AcceptedEnvironment must be live or test (or unset: both); it is '{options.AcceptedEnvironment}'.");
        }

        if (options.BackchannelTimeout <= TimeSpan.Zero)
        {
            failures.Add("AuthServer:BackchannelTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
