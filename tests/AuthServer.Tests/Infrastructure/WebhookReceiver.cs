using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AuthServer.Tests.Infrastructure;

/// <summary>One webhook request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, DateTime ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>Checks the signature the way the Standard Webhooks specification says a receiver must.</summary>
    public bool SignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return Signature.Split(' ').Contains(expected);
    }
}

/// <summary>
/// A webhook receiver on a real loopback port (plain HTTP: the tests allow it and 127.0.0.0/8). It answers each
/// request with <see cref="Answer"/>'s status, or holds it while <see cref="Hold"/> is set.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status for the n-th request (from 1); 204 by default.</summary>
    public Func<int, int> Answer { get; set; } = _ => 204;

    public bool Hold { get; set; }

    public string Url => _app.Urls.Single() + "/hooks";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        var count = 0;
        receiver._app.MapPost("/hooks", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(cancellationToken);
            receiver.Received.Enqueue(new ReceivedWebhook(
                request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), body, DateTime.UtcNow));
            while (receiver.Hold)
            {
                await Task.Delay(50, cancellationToken);
            }

            return Results.StatusCode(receiver.Answer(Interlocked.Increment(ref count)));
        });
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after <paramref name="seconds"/>.</summary>
    public async Task<List<ReceivedWebhook>> WaitForAsync(Func<List<ReceivedWebhook>, bool> done, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received.ToList();
            if (done(received))
            {
                return received;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The receiver got {received.Count} webhooks in {seconds} s: {string.Join(", ", received.Select(r => r.Type))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Hold = false;
        await _app.DisposeAsync();
    }
}
