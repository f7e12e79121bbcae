using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.ResourceServer.ApiKeys;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SampleApi.Invoices;

/// <summary>
/// <c>GET /invoices/events</c>: server-sent events of the account's new invoices. The credential is checked before
/// the first byte is sent. A stream opened with a token ends when the token expires (event <c>token-expired</c>),
/// so it never outlives its token: the client reconnects with a fresh one. A stream opened with an API key has no
/// token to outlive, so it asks again every <see cref="ApiKeyCheck.Interval"/> (through the same short cache as
/// every request) and ends with <c>key-revoked</c> once the key is refused (revoked, expired, or no longer usable
/// directly), or <c>key-expired</c> at the key's expiry. While the AuthServer cannot be asked, the stream goes on.
/// </summary>
public static class InvoiceEvents
{
    public static IResult Open(HttpContext http, InvoiceBook book, IOptions<JsonOptions> json, TimeProvider time, ApiKeyCheck keyCheck, CancellationToken aborted) =>
        TypedResults.ServerSentEvents(Events(http, book, json.Value.SerializerOptions, time, keyCheck, aborted));

    private static async IAsyncEnumerable<SseItem<string>> Events(
        HttpContext http, InvoiceBook book, JsonSerializerOptions json, TimeProvider time, ApiKeyCheck keyCheck,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        var user = http.User;
        var expiresAt = user.GetExpiresAt();
        var byKey = user.IsApiKey();
        using var subscription = book.Subscribe(InvoiceEndpoints.AccountOf(user));
        using var untilExpiry = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (expiresAt is { } expiry)
        {
            untilExpiry.CancelAfter(Max(expiry - time.GetUtcNow(), TimeSpan.Zero));
        }

        yield return new SseItem<string>(JsonSerializer.Serialize(new { expiresAt }, json), "ready");
        while (true)
        {
            using var untilNextCheck = CancellationTokenSource.CreateLinkedTokenSource(untilExpiry.Token);
            if (byKey)
            {
                untilNextCheck.CancelAfter(keyCheck.Interval);
            }

            var (invoice, waitEnded) = await NextAsync(subscription, untilNextCheck.Token, aborted);
            if (waitEnded && untilExpiry.IsCancellationRequested)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { expiresAt }, json), byKey ? "key-expired" : "token-expired");
                yield break;
            }

            if (waitEnded)
            {
                if (await keyCheck.IsStillValidAsync(http, aborted) == false)
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(new { keyId = user.GetKeyId() }, json), "key-revoked");
                    yield break;
                }

                continue;
            }

            if (invoice is null)
            {
                yield break;
            }

            yield return new SseItem<string>(JsonSerializer.Serialize(invoice, json), "invoice") { EventId = invoice.Id };
        }
    }

    /// <summary>The next invoice; or none and <c>WaitEnded</c> when <paramref name="until"/> came first.</summary>
    private static async Task<(Invoice? Invoice, bool WaitEnded)> NextAsync(InvoiceBook.Subscription subscription, CancellationToken until, CancellationToken aborted)
    {
        try
        {
            return await subscription.Reader.WaitToReadAsync(until) && subscription.Reader.TryRead(out var invoice)
                ? (invoice, false)
                : (null, false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return (null, true);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
