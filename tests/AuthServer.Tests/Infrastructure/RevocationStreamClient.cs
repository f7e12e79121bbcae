using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace AuthServer.Tests.Infrastructure;

/// <summary>A follower of <c>GET /events/revocations</c>, as a resource server follows it, reading one event at a time.</summary>
public sealed class RevocationStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _events;

    private RevocationStreamClient(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events)
    {
        _response = response;
        _events = events;
    }

    public static HttpRequestMessage Request(string? clientId, string? secret, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/events/revocations");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (clientId is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        }

        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return request;
    }

    public static async Task<RevocationStreamClient> OpenAsync(HttpClient http, string clientId, string secret, string? lastEventId = null)
    {
        using var request = Request(clientId, secret, lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync();
        return new RevocationStreamClient(response, SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator());
    }

    /// <summary>The last event ID received: where a reconnecting follower resumes.</summary>
    public string? LastEventId { get; private set; }

    public async Task<SseItem<string>> NextAsync(TimeSpan within)
    {
        var next = _events.MoveNextAsync().AsTask();
        Assert.True(await Task.WhenAny(next, Task.Delay(within)) == next, $"no event within {within}");
        Assert.True(await next, "the stream ended");
        if (!string.IsNullOrEmpty(_events.Current.EventId))
        {
            LastEventId = _events.Current.EventId;
        }

        return _events.Current;
    }

    /// <summary>The next event of <paramref name="type"/>, skipping heartbeats and others.</summary>
    public async Task<SseItem<string>> NextOfTypeAsync(string type, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var item = await NextAsync(deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (item.EventType == type)
            {
                return item;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _events.DisposeAsync();
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection was closed under the reader
        }
    }
}
