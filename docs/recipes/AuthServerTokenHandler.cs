using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace AuthServer.Recipes;

/// <summary>
/// Puts an AuthServer access token on each request of an HttpClient. Registration, once per API key:
/// <code>
/// services.AddSingleton(new AuthServerTokenCache(new HttpClient { BaseAddress = new Uri("https://auth.example.com/") },
///     keyId, secret, "invoices:read"));
/// services.AddTransient&lt;AuthServerTokenHandler&gt;();
/// services.AddHttpClient("invoices", c => c.BaseAddress = new Uri("https://invoices.example.com/"))
///     .AddHttpMessageHandler&lt;AuthServerTokenHandler&gt;();
/// </code>
/// </summary>
public sealed class AuthServerTokenHandler(AuthServerTokenCache tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            tokens.Forget(token); // revoked or expired early: the next call fetches a new one
        }

        return response;
    }
}

/// <summary>
/// One key's access token, fetched with the client-credentials grant and reused until <see cref="RefreshBefore"/>
/// before it expires: one token request per key every few minutes, however many calls and callers.
/// </summary>
public sealed class AuthServerTokenCache(HttpClient authServer, string keyId, string secret, string scope, TimeProvider? time = null)
    : IDisposable
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private CachedToken? _token;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } token)
        {
            return token;
        }

        await _fetching.WaitAsync(cancellationToken); // one token request at a time; the others wait for it
        try
        {
            return Fresh() ?? await FetchAsync(cancellationToken);
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Dispose() => _fetching.Dispose();

    /// <summary>Drops <paramref name="accessToken"/> if it is still the cached one (a newer one is kept).</summary>
    public void Forget(string accessToken)
    {
        if (_token is { } token && token.AccessToken == accessToken)
        {
            Interlocked.CompareExchange(ref _token, null, token);
        }
    }

    private string? Fresh() => _token is { } token && token.RenewAt > _time.GetUtcNow() ? token.AccessToken : null;

    private async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = keyId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
        using var response = await authServer.PostAsync(new Uri("connect/token", UriKind.Relative), form, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new InvalidOperationException("The token endpoint answered no token.");
        _token = new CachedToken(body.AccessToken, _time.GetUtcNow() + TimeSpan.FromSeconds(body.ExpiresIn) - RefreshBefore);
        return body.AccessToken;
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
