using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AuthServer.ResourceServer;

namespace SampleApi.Tests.Infrastructure;

/// <summary>One AuthServer on a loopback port and the SampleApi twice, validating locally and by introspection.</summary>
public sealed class ResourceServerWorld : IAsyncLifetime
{
    private readonly Dictionary<TokenValidationMode, (SampleApiFactory Factory, HttpClient Client)> _apis = [];

    public LoopbackAuthServer AuthServer { get; } = new();

    public async Task InitializeAsync()
    {
        await AuthServer.InitializeAsync();
        foreach (var mode in Enum.GetValues<TokenValidationMode>())
        {
            var factory = new SampleApiFactory(AuthServer, mode);
            _apis[mode] = (factory, factory.CreateClient());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, client) in _apis.Values)
        {
            client.Dispose();
            await factory.DisposeAsync();
        }

        await AuthServer.DisposeAsync();
    }

    public HttpClient Api(TokenValidationMode mode) => _apis[mode].Client;

    public SampleApiFactory ApiFactory(TokenValidationMode mode) => _apis[mode].Factory;
}

[CollectionDefinition(Name)]
public sealed class WithSharedAuthServer : ICollectionFixture<ResourceServerWorld>
{
    public const string Name = "one AuthServer, the SampleApi in both modes";
}

public static partial class ApiCalls
{
    public static async Task<HttpResponseMessage> GetAsync(this HttpClient api, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await api.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient api, string path, string? token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await api.SendAsync(request);
    }

    /// <summary>The parameters of the response's <c>WWW-Authenticate: Bearer …</c> challenge; fails if there is none.</summary>
    public static IReadOnlyDictionary<string, string> BearerChallenge(this HttpResponseMessage response)
    {
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        return ChallengeParameter().Matches(challenge.Parameter ?? "")
            .ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal));
    }

    public static void AssertInvalidToken(this HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.BearerChallenge();
        Assert.Equal("invalid_token", challenge.GetValueOrDefault("error"));
        Assert.Equal(LoopbackAuthServer.InvoicesApi, challenge.GetValueOrDefault("realm"));
    }

    [GeneratedRegex("""([A-Za-z_]+)="((?:[^"\\]|\\.)*)"(?:,\s*|$)""")]
    private static partial Regex ChallengeParameter();
}
