using System.Net.Http.Headers;

namespace AuthServer.Tests.Infrastructure;

/// <summary>Token requests from a given client address (<see cref="TestRemoteAddress"/>).</summary>
public static class TokenRequests
{
    public static async Task<HttpResponseMessage> RequestTokenFromAsync(this HttpClient http, string address, string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(clientId, secret);
        request.Headers.Add(TestRemoteAddress.Header, address);
        return await http.SendAsync(request);
    }

    /// <summary>What a client can observe of a refusal: status, challenge and body.</summary>
    public static async Task<(int Status, string? Challenge, string Body)> ObservedAsync(this HttpResponseMessage response) =>
        ((int)response.StatusCode, response.Headers.WwwAuthenticate.ToString(), await response.Content.ReadAsStringAsync());
}
