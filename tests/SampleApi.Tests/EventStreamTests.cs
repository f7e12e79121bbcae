using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary><c>GET /invoices/events</c>: the token is checked before streaming starts, and the stream ends with the token.</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class EventStreamTests(ResourceServerWorld world)
{
    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_valid_token_opens_the_stream_and_new_invoices_arrive_on_it(TokenValidationMode mode)
    {
        var reader = await world.AuthServer.TokenAsync("invoices:read");
        var writer = await world.AuthServer.TokenAsync("invoices:write");
        var api = world.Api(mode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var stream = await OpenAsync(api, reader, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var events = new ServerSentEventReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("ready", (await events.NextAsync(timeout.Token))?.Type);

        using (var created = await api.PostJsonAsync("/invoices", writer, """{"customer":"Initech","amount":99,"currency":"USD"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var invoice = await events.NextAsync(timeout.Token);
        Assert.Equal("invoice", invoice?.Type);
        Assert.Equal("Initech", JsonDocument.Parse(invoice!.Data).RootElement.GetProperty("customer").GetString());
    }

    [Theory]
    [InlineData(TokenValidationMode.Local, null)]
    [InlineData(TokenValidationMode.Local, "not-a-jwt")]
    [InlineData(TokenValidationMode.Introspection, null)]
    [InlineData(TokenValidationMode.Introspection, "not-a-jwt")]
    public async Task Without_a_valid_token_no_stream_starts(TokenValidationMode mode, string? token)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await OpenAsync(world.Api(mode), token, timeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task The_stream_ends_when_its_token_expires()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddSeconds(3));
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var exp = new DateTimeOffset(new JwtSecurityToken(token).ValidTo, TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var stream = await OpenAsync(world.Api(TokenValidationMode.Local), token, timeout.Token);
        var events = new ServerSentEventReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var seen = new List<string>();
        while (await events.NextAsync(timeout.Token) is { } next)
        {
            seen.Add(next.Type);
        }

        var endedAt = DateTimeOffset.UtcNow;
        Assert.Equal(["ready", "token-expired"], seen);
        Assert.InRange(endedAt, exp.AddMilliseconds(-250), exp.AddSeconds(2)); // timers may fire a hair early; never later than that
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient api, string? token, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/invoices/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
    }
}
