using System.Net;
using System.Net.Sockets;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>An AuthServer that cannot be reached is the API's 503 (retry), never a 500 nor a 401 that would make clients drop their token.</summary>
public sealed class UnreachableAuthServerTests
{
    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_token_that_cannot_be_checked_gets_503_with_retry_after(TokenValidationMode mode)
    {
        await using var api = new SampleApiFactory(NothingListensHere(), mode, clientSecret: "authsk_not-needed-to-fail");
        using var client = api.CreateClient();
        const string SomeToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ4In0.c2ln";

        using var response = await client.GetAsync("/invoices", SomeToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("authorization server", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local, "x-api-key")]
    [InlineData(TokenValidationMode.Introspection, "Authorization")]
    public async Task An_api_key_that_cannot_be_checked_gets_503_with_retry_after(TokenValidationMode mode, string header)
    {
        await using var api = new SampleApiFactory(NothingListensHere(), mode, clientSecret: "authsk_not-needed-to-fail");
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/invoices");
        request.Headers.TryAddWithoutValidation(header, (header == "Authorization" ? "Bearer " : "") + AuthServer.Secrets.ClientSecret.Generate());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Without_a_token_the_answer_stays_401_as_nothing_needs_checking()
    {
        await using var api = new SampleApiFactory(NothingListensHere(), TokenValidationMode.Local, clientSecret: "authsk_not-needed-to-fail");
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/invoices", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static Uri NothingListensHere()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }
}
