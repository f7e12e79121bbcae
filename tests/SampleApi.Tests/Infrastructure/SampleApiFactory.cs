using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Http;

namespace SampleApi.Tests.Infrastructure;

/// <summary>
/// The SampleApi in process, configured as its README says for <paramref name="mode"/>, pointed at an AuthServer
/// (with its introspection secret in both modes: the SampleApi accepts API keys, which it introspects).
/// Every request its token validation sends to the AuthServer is recorded in <see cref="Backchannel"/>.
/// </summary>
public sealed class SampleApiFactory(Uri issuer, TokenValidationMode mode, string? clientSecret, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public SampleApiFactory(LoopbackAuthServer authServer, TokenValidationMode mode, IDictionary<string, string?>? settings = null)
        : this(authServer.Issuer, mode, authServer.Invoices.ClientSecret, settings)
    {
    }

    public BackchannelRecorder Backchannel { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>More test services, e.g. a revocation stream that goes through a proxy the test can cut.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("AuthServer:Issuer", issuer.AbsoluteUri);
        builder.UseSetting("AuthServer:Audience", LoopbackAuthServer.InvoicesApi);
        builder.UseSetting("AuthServer:Mode", mode.ToString());
        builder.UseSetting("AuthServer:ClientSecret", clientSecret);
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:OpenIddict", "Trace");

        // On a loaded 2-core CI machine the in-process AuthServer can take seconds to answer; the 10 s default
        // would turn that into 503s. An AuthServer that cannot be reached at all is tested with a closed port.
        builder.UseSetting("AuthServer:BackchannelTimeout", "00:01:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.AdditionalHandlers.Add(new BackchannelRecorder.Handler(Backchannel))));
            TestServices?.Invoke(services);
        });
    }
}
