using System.Net;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>The API's introspection secret never reaches its logs, even at Trace level (the factories log everything).</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class SecretLoggingTests(ResourceServerWorld world)
{
    [Fact]
    public async Task The_introspection_secret_is_not_logged()
    {
        var api = world.Api(TokenValidationMode.Introspection);
        using (var accepted = await api.GetAsync("/invoices", await world.AuthServer.TokenAsync("invoices:read")))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var refused = await api.GetAsync("/invoices", "not-a-jwt"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var lines = world.ApiFactory(TokenValidationMode.Introspection).Logs.Lines;
        Assert.Contains(lines, line => line.Contains("/connect/introspect", StringComparison.Ordinal)); // the capture works
        Assert.DoesNotContain(lines, line => line.Contains(world.AuthServer.Invoices.ClientSecret, StringComparison.Ordinal));
    }
}
