using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using AuthServer.ResourceServer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SampleApi.Invoices;

/// <summary>
/// <c>GET /invoices/events</c>: server-sent events of the account's new invoices. The token is checked before
/// the first byte is sent; the stream then ends when the token expires (event <c>token-expired</c>), so a
/// stream never outlives its token: the client reconnects with a fresh one.
/// </summary>
public static class InvoiceEvents
{
    public static IResult Open(ClaimsPrincipal user, InvoiceBook book, IOptions<JsonOptions> json, TimeProvider time, CancellationToken aborted) =>
        TypedResults.ServerSentEvents(Events(
            InvoiceEndpoints.AccountOf(user), user.GetExpiresAt(), book, json.Value.SerializerOptions, time, aborted));

    private static async IAsyncEnumerable<SseItem<string>> Events(
        string accountId, DateTimeOffset? expiresAt, InvoiceBook book, JsonSerializerOptions json, TimeProvider time,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        using var subscription = book.Subscribe(accountId);
        using var untilExpiry = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (expiresAt is { } expiry)
        {
            untilExpiry.CancelAfter(Max(expiry - time.GetUtcNow(), TimeSpan.Zero));
        }

        yield return new SseItem<string>(JsonSerializer.Serialize(new { expiresAt }, json), "ready");
        while (true)
        {
            var (invoice, expired) = await NextAsync(subscription, untilExpiry.Token, aborted);
            if (expired)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { expiresAt }, json), "token-expired");
            }

            if (invoice is null)
            {
                yield break;
            }

            yield return new SseItem<string>(JsonSerializer.Serialize(invoice, json), "invoice") { EventId = invoice.Id };
        }
    }

    private static async Task<(Invoice? Invoice, bool Expired)> NextAsync(InvoiceBook.Subscription subscription, CancellationToken untilExpiry, CancellationToken aborted)
    {
        try
        {
            return await subscription.Reader.WaitToReadAsync(untilExpiry) && subscription.Reader.TryRead(out var invoice)
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
