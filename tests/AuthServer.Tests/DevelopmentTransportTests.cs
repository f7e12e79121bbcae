using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Development accepts plain HTTP from the loopback interface only, at every endpoint.</summary>
public sealed class DevelopmentTransportTests : IAsyncLifetime
{
    private readonly AuthServerFactory _factory = new(environment: "Development");
    private TestKey _key = null!;

    public async Task InitializeAsync()
    {
        var provision = new Provisioning(_factory.Services);
        var (acme, _, _) = await provision.SeedStandardAsync();
        _key = await provision.CreateKeyAsync(acme.Id, ["invoices:read"]);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::1", HttpStatusCode.OK)]
    [InlineData("203.0.113.5", HttpStatusCode.BadRequest)]
    public async Task Plain_http_token_requests_are_served_from_loopback_only(string address, HttpStatusCode expected)
    {
        using var http = _factory.CreateClient(); // http://localhost
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(_key.Key.KeyId, _key.Secret);
        request.Headers.Add(TestRemoteAddress.Header, address);

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
        }
    }
}
