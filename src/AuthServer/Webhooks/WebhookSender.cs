using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthServer.Events;
using Microsoft.Extensions.Options;

namespace AuthServer.Webhooks;

public readonly record struct WebhookAttemptResult(bool Delivered, int? StatusCode, string? Error, int DurationMilliseconds);

/// <summary>
/// One attempt of one delivery, as Standard Webhooks describes it: a JSON body <c>{type, timestamp, data}</c> and the
/// headers <c>webhook-id</c> (the event's ID, the same on every attempt), <c>webhook-timestamp</c> and
/// <c>webhook-signature</c>. Any 2xx answer is a delivery; redirects are not followed; the response body is not read.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "AuthServer.Webhooks";

    public static byte[] Body(LifecycleEvent e) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        type = e.Type,
        timestamp = e.OccurredAt,
        data = new
        {
            id = e.EventId,
            sequence = e.Id,
            type = e.Type,
            occurredAt = e.OccurredAt,
            accountId = e.AccountId,
            keyId = e.KeyId,
            subject = e.Subject,
            details = e.Details is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(e.Details),
        },
    }, JsonSerializerOptions.Web);

    public async Task<WebhookAttemptResult> SendAsync(string url, string secret, LifecycleEvent e, CancellationToken cancellationToken)
    {
        var body = Body(e);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", e.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, e.EventId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("AuthServer-Webhooks/1");

        var timeout = options.Value.AttemptTimeout;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            var delivered = code is >= 200 and < 300;
            return new(delivered, code, delivered ? null : Answered(code), Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, null, $"no answer within {timeout.TotalSeconds:0.#} s", Elapsed(started));
        }
        catch (HttpRequestException exception)
        {
            return new(false, null, Describe(exception), Elapsed(started));
        }
    }

    private static string Answered(int code) => code is >= 300 and < 400 ? $"answered {code}: redirects are not followed" : $"answered {code}";

    private static string Describe(HttpRequestException exception) => exception.InnerException switch
    {
        WebhookAddressRefusedException refused => $"refused: {refused.Message}",
        _ => exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name did not resolve",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed (is the certificate valid and trusted?)",
            HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "the answer was not valid HTTP",
            var other => $"the request failed ({other})",
        },
    };

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
