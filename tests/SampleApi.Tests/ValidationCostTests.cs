using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>What validating a token costs in calls to the AuthServer, counted on the SampleApi's backchannel.</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class ValidationCostTests(ResourceServerWorld world)
{
    [Fact]
    public async Task Local_validation_sends_nothing_to_the_AuthServer_per_request_once_the_keys_are_cached()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(await world.AuthServer.TokenAsync("invoices:read"));
        }

        var api = world.Api(TokenValidationMode.Local);
        using (var warmUp = await api.GetAsync("/invoices", tokens[0]))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var backchannel = world.ApiFactory(TokenValidationMode.Local).Backchannel;
        var mark = backchannel.Mark();
        for (var i = 0; i < 200; i++)
        {
            using var response = await api.GetAsync("/invoices", tokens[i % tokens.Count]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(backchannel.Since(mark));
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_cannot_make_the_api_flood_the_AuthServer()
    {
        var forgery = TokenForge.Faithful(await world.AuthServer.TokenAsync("invoices:read"), world.AuthServer.SigningCertificate);
        using var otherKey = RSA.Create(2048);
        var api = world.Api(TokenValidationMode.Local);
        var backchannel = world.ApiFactory(TokenValidationMode.Local).Backchannel;
        var mark = backchannel.Mark();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            var token = forgery.With((header, _) => header["kid"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(20))).SignRs256With(otherKey);
            using var response = await api.GetAsync("/invoices", token);
            response.AssertInvalidToken();
        }

        // At most one re-read of the keys per MinimumKeyRefreshInterval (1 s by default), however many such tokens.
        var keyReads = backchannel.Since(mark).Count(path => path == "/.well-known/jwks");
        Assert.InRange(keyReads, 0, (int)clock.Elapsed.TotalSeconds + 1);
    }

    [Fact]
    public async Task The_keys_are_reread_in_the_background_every_KeyRefreshInterval()
    {
        var settings = new Dictionary<string, string?> { ["AuthServer:KeyRefreshInterval"] = "00:00:02" };
        await using var factory = new SampleApiFactory(world.AuthServer, TokenValidationMode.Local, settings);
        using var api = factory.CreateClient();
        var token = await world.AuthServer.TokenAsync("invoices:read");
        using (var first = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var mark = factory.Backchannel.Mark();
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using (var stale = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode); // served from the cache while the refresh runs
        }

        var clock = Stopwatch.StartNew();
        while (!factory.Backchannel.Since(mark).Contains("/.well-known/jwks") && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        Assert.Contains("/.well-known/jwks", factory.Backchannel.Since(mark));
    }

    [Fact]
    public async Task Introspection_asks_the_AuthServer_once_per_request_which_is_what_makes_revocation_immediate()
    {
        var token = await world.AuthServer.TokenAsync("invoices:read");
        var api = world.Api(TokenValidationMode.Introspection);
        var backchannel = world.ApiFactory(TokenValidationMode.Introspection).Backchannel;
        using (var warmUp = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var mark = backchannel.Mark();
        for (var i = 0; i < 20; i++)
        {
            using var response = await api.GetAsync("/invoices", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat("/connect/introspect", 20), backchannel.Since(mark));
    }
}
