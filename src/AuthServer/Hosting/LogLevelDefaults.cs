using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// The log levels AuthServer runs with when the configuration says nothing, e.g. when it was started from a folder
/// without its appsettings.json: the frameworks log warnings and errors only. They are defaults, not limits: an
/// operator who names a category under <c>Logging:LogLevel</c> gets that level (Debug included). Keeping secrets
/// out of the logs does not depend on these levels: secrets are refused before anything logs them.
/// </summary>
public static class LogLevelDefaults
{
    private static readonly string[] FrameworkCategories = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "OpenIddict"];

    public static ILoggingBuilder AddLogLevelDefaults(this ILoggingBuilder logging)
    {
        logging.Services.AddSingleton<IConfigureOptions<LoggerFilterOptions>, PrependDefaults>();
        logging.Services.AddSingleton<IConfigureOptions<LoggerFilterOptions>, SilenceHostingDiagnostics>();
        return logging;
    }

    /// <summary>Of two rules for the same category the later wins, so rules put first give way to the configuration's.</summary>
    private sealed class PrependDefaults : IConfigureOptions<LoggerFilterOptions>
    {
        public void Configure(LoggerFilterOptions options)
        {
            foreach (var category in FrameworkCategories)
            {
                options.Rules.Insert(0, new LoggerFilterRule(providerName: null, category, LogLevel.Warning, filter: null));
            }
        }
    }

    /// <summary>
    /// ASP.NET Core's request lines carry the query string, and the scope it opens for each request (attached to every
    /// line logged during the request by providers that include scopes) carries the path: either may hold a token or
    /// a careless client's secret. That category is off whatever the configuration says: one rule per provider,
    /// added last, beats every configured rule for it. Request correlation remains through trace and span IDs.
    /// </summary>
    private sealed class SilenceHostingDiagnostics(IEnumerable<ILoggerProvider> providers) : IConfigureOptions<LoggerFilterOptions>
    {
        private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

        public void Configure(LoggerFilterOptions options)
        {
            options.Rules.Add(new LoggerFilterRule(providerName: null, Category, LogLevel.None, filter: null));
            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider.GetType().FullName, Category, LogLevel.None, filter: null));
            }
        }
    }
}
