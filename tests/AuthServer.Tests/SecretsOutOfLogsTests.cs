using System.Net;
using System.Net.Http.Headers;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// With the test server's Debug logging, a secret in a place no secret belongs (a form parameter's name, a URL)
/// is refused before anything logs it, and the answer does not echo it — whichever shape the secret has: a test or
/// live key's (<c>authsk_test_…</c>, <c>authsk_live_…</c>) or one made before keys had environments (<c>authsk_…</c>).
/// </summary>
public sealed class SecretsOutOfLogsTests(TestWorld world) : IClassFixture<TestWorld>
{
    public static TheoryData<string, string> Urls(params string[] urls)
    {
        var data = new TheoryData<string, string>();
        foreach (var url in urls)
        {
            foreach (var shape in Shapes)
            {
                data.Add(url, shape);
            }
        }

        return data;
    }

    public static TheoryData<string, string> ApiUrls() => Urls("/admin/v1/accounts/{0}/keys", "/{0}", "/health/ready?{0}");

    public static TheoryData<string, string> OAuthEndpoints() => Urls("/connect/token", "/connect/introspect");

    public static TheoryData<string, string, string> OAuthUrls()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, url) in new[] { ("GET", "/.well-known/openid-configuration?x={0}"), ("POST", "/connect/token?client_secret={0}"), ("POST", "/connect/{0}") })
        {
            foreach (var shape in Shapes)
            {
                data.Add(method, url, shape);
            }
        }

        return data;
    }

    private static readonly string[] Shapes = ["live", "test", "without environment"];

    /// <summary>A key whose secret has <paramref name="shape"/>; "without environment" is a live key given a secret of the old shape.</summary>
    private async Task<TestKey> KeyOfShapeAsync(string shape)
    {
        if (shape == "test")
        {
            return await world.CreateKeyAsync(["invoices:read"], environment: AuthServer.ApiKeys.KeyEnvironment.Test);
        }

        var key = await world.CreateKeyAsync(["invoices:read"]);
        return shape == "live" ? key : await world.WithSecretOfTheOldShapeAsync(key);
    }
    [Theory]
    [MemberData(nameof(OAuthEndpoints))]
    public async Task A_secret_sent_as_a_parameter_name_is_refused_and_not_logged(string endpoint, string shape)
    {
        var key = await KeyOfShapeAsync(shape);
        var (clientId, clientSecret) = endpoint == "/connect/token"
            ? (key.Key.KeyId, key.Secret)
            : (world.Invoices.ClientId, world.Invoices.ClientSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["token"] = "x",
                [key.Secret] = "1",
            }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(clientId, clientSecret);

        using var response = await world.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.DoesNotContain(key.Secret[7..], body);
        AssertNotLogged(key.Secret);
    }

    [Theory]
    [MemberData(nameof(ApiUrls))]
    public async Task A_secret_in_a_url_is_refused_with_a_problem_and_not_logged(string url, string shape)
    {
        var key = await KeyOfShapeAsync(shape);
        using var request = new HttpRequestMessage(HttpMethod.Get, string.Format(url, key.Secret));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x");

        using var response = await world.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(key.Secret[7..], await response.Content.ReadAsStringAsync());
        Assert.Contains("must never be put in a URL", (await response.ReadProblemAsync()).GetProperty("detail").GetString());
        AssertNotLogged(key.Secret);
    }

    [Theory]
    [MemberData(nameof(OAuthUrls))]
    public async Task A_secret_in_an_oauth_url_is_refused_with_an_oauth_error_and_not_logged(string method, string url, string shape)
    {
        var key = await KeyOfShapeAsync(shape);
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(url, key.Secret))
        {
            Content = method == "POST" ? new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }) : null,
        };
        request.Headers.Authorization = OAuth.BasicCredentials(key.Key.KeyId, key.Secret);

        using var response = await world.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(key.Secret[7..], await response.Content.ReadAsStringAsync());
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Contains("must never be put in a URL", error.GetProperty("error_description").GetString());
        AssertNotLogged(key.Secret);
    }

    private void AssertNotLogged(string secret)
    {
        var leaks = world.Factory.Logs.Lines.Where(line => line.Contains(secret[7..27], StringComparison.Ordinal)).Take(3).ToList();
        Assert.True(leaks.Count == 0, "Secret found in logs:\n" + string.Join("\n", leaks));
    }
}
