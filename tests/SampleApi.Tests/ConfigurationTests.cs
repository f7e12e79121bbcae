using System.Diagnostics;

namespace SampleApi.Tests;

/// <summary>
/// Settings that could not validate a token stop the SampleApi at start: exit code 1 and one line on stderr
/// naming the setting. Run as a user runs it, as a process.
/// </summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("AuthServer__Issuer", "", "AuthServer:Issuer is required")]
    [InlineData("AuthServer__Issuer", "http://auth.example.com/", "AuthServer:Issuer must use https")]
    [InlineData("AuthServer__Audience", "", "AuthServer:Audience is required")]
    [InlineData("AuthServer__ClientSecret", "", "AuthServer:ClientSecret is required when AuthServer:Mode is Introspection", "Introspection")]
    [InlineData("AuthServer__MinimumKeyRefreshInterval", "00:00:00", "AuthServer:MinimumKeyRefreshInterval must be positive")]
    [InlineData("AuthServer__ClientSecret", "", "AuthServer:ClientSecret is required when AuthServer:AcceptApiKeys is true")]
    [InlineData("AuthServer__ApiKeyCacheDuration", "00:00:00", "AuthServer:ApiKeyCacheDuration must be positive and at most 00:01:00")]
    [InlineData("AuthServer__ApiKeyNegativeCacheDuration", "00:10:00", "AuthServer:ApiKeyNegativeCacheDuration must be positive and at most 00:01:00")]
    [InlineData("AuthServer__AcceptedEnvironment", "production", "AuthServer:AcceptedEnvironment must be live or test (or unset: both); it is 'production'.")]
    public async Task A_missing_or_unsafe_setting_is_a_one_line_startup_error(string variable, string value, string message, string mode = "Local")
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["AuthServer__Issuer"] = "https://auth.example.com/",
            ["AuthServer__Audience"] = "invoices-api",
            ["AuthServer__ClientSecret"] = "authsk_from-a-secret-store",
            ["AuthServer__Mode"] = mode,
            [variable] = value,
        };

        var (code, error) = await RunSampleApiAsync(environment);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SampleApi cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "authsk_test_from-a-secret-store", "10:00", "SampleApi:Browser:SigningSecret is set but SampleApi:Browser:PublishableKey is not")]
    [InlineData("ak_123", "", "10:00", "SampleApi:Browser:PublishableKey must be a publishable key (pk_test_… or pk_live_…)")]
    [InlineData("pk_test_123", "authsk_test_from-a-secret-store", "01:00:01", "SampleApi:Browser:IdentityTokenLifetime must be positive and at most 01:00:00")]
    [InlineData("pk_test_123", "authsk_test_from-a-secret-store", "00:00:00", "SampleApi:Browser:IdentityTokenLifetime must be positive and at most 01:00:00")]
    [InlineData("pk_test_123", "not-a-signing-secret", "10:00", "SampleApi:Browser:SigningSecret must be the API key's signing secret (authsk_…)")]
    public async Task A_bad_browser_page_setting_is_a_one_line_startup_error_that_never_echoes_the_secret(
        string publishableKey, string signingSecret, string lifetime, string message)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["AuthServer__Issuer"] = "https://auth.example.com/",
            ["AuthServer__Audience"] = "invoices-api",
            ["AuthServer__ClientSecret"] = "authsk_from-a-secret-store",
            ["SampleApi__Browser__PublishableKey"] = publishableKey,
            ["SampleApi__Browser__SigningSecret"] = signingSecret,
            ["SampleApi__Browser__IdentityTokenLifetime"] = lifetime,
        };

        var (code, error) = await RunSampleApiAsync(environment);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SampleApi cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        if (signingSecret.Length > 0)
        {
            Assert.DoesNotContain(signingSecret, line, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Error)> RunSampleApiAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SampleApi.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await output;
        return (process.ExitCode, await error);
    }
}
