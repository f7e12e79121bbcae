using AuthServer.Failures;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>The one line that explains why the server refused its configuration, or null for any other failure.</summary>
public static class StartupFailure
{
    public static string? Describe(Exception exception) => exception switch
    {
        StartupException startup => startup.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        AggregateException { InnerExceptions: var inner } when inner.All(e => Describe(e) is not null) =>
            string.Join(" ", inner.Select(e => Describe(e))),
        _ => null,
    };
}
