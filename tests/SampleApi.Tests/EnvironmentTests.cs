using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.ApiKeys;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// A resource server that accepts one environment only (<c>AuthServer:AcceptedEnvironment</c>, or the SampleApi's
/// <c>SampleApi:Production</c>) refuses tokens of the other with RFC 6750's <c>invalid_token</c> naming it, locally
/// and by introspection; without the setting it accepts both.
/// </summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class EnvironmentTests(ResourceServerWorld world)
{
    public static TheoryData<TokenValidationMode, string, string> OneEnvironmentOnly()
    {
        var data = new TheoryData<TokenValidationMode, string, string>();
        foreach (var mode in Enum.GetValues<TokenValidationMode>())
        {
            data.Add(mode, "AuthServer:AcceptedEnvironment", "live");
            data.Add(mode, "SampleApi:Production", "true");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OneEnvironmentOnly))]
    public async Task A_production_api_refuses_a_test_key_s_token_with_a_challenge_naming_the_environment_and_accepts_a_live_one(
        TokenValidationMode mode, string setting, string value)
    {
        await using var factory = new SampleApiFactory(world.AuthServer, mode, new Dictionary<string, string?> { [setting] = value });
        using var api = factory.CreateClient();
        var test = await world.AuthServer.TokenOfAsync(KeyEnvironment.Test, "invoices:read");
        var live = await world.AuthServer.TokenOfAsync(KeyEnvironment.Live, "invoices:read");

        using var refused = await api.GetAsync("/invoices", test);
        using var accepted = await api.GetAsync("/invoices", live);

        refused.AssertInvalidToken();
        var challenge = refused.BearerChallenge();
        Assert.Equal("This API accepts only tokens of live keys; this token is of a test key.", challenge["error_description"]);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_production_api_refuses_a_test_key_presented_directly_and_accepts_a_live_one_and_shows_its_environment(TokenValidationMode mode)
    {
        await using var factory = new SampleApiFactory(world.AuthServer, mode, new Dictionary<string, string?> { ["SampleApi:Production"] = "true" });
        using var api = factory.CreateClient();
        var test = await world.AuthServer.CreateKeyAsync(["invoices:read"], environment: KeyEnvironment.Test);
        var live = await world.AuthServer.CreateKeyAsync(["invoices:read"], environment: KeyEnvironment.Live);

        using var refused = await api.SendWithKeyAsync(HttpMethod.Get, "/invoices", "x-api-key", test.Secret);
        using var accepted = await api.SendWithKeyAsync(HttpMethod.Get, "/whoami", "x-api-key", live.Secret);

        refused.AssertInvalidToken();
        Assert.Equal("This API accepts only tokens of live keys; this token is of a test key.", refused.BearerChallenge()["error_description"]);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("live", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("environment").GetString());
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task An_api_for_test_keys_refuses_live_ones(TokenValidationMode mode)
    {
        await using var factory = new SampleApiFactory(world.AuthServer, mode, new Dictionary<string, string?> { ["AuthServer:AcceptedEnvironment"] = "test" });
        using var api = factory.CreateClient();

        using var refused = await api.GetAsync("/invoices", await world.AuthServer.TokenOfAsync(KeyEnvironment.Live, "invoices:read"));
        using var accepted = await api.GetAsync("/invoices", await world.AuthServer.TokenOfAsync(KeyEnvironment.Test, "invoices:read"));

        refused.AssertInvalidToken();
        Assert.Equal("This API accepts only tokens of test keys; this token is of a live key.", refused.BearerChallenge()["error_description"]);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task Without_the_setting_both_environments_are_accepted_and_the_caller_sees_its_environment(TokenValidationMode mode)
    {
        var api = world.Api(mode);

        foreach (var environment in Enum.GetValues<KeyEnvironment>())
        {
            var token = await world.AuthServer.TokenOfAsync(environment, "invoices:read");
            using var response = await api.GetAsync("/invoices", token);
            using var whoami = await api.GetAsync("/whoami", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(environment.Name(), (await whoami.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("environment").GetString());
        }
    }
}
