using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SampleApi.Invoices;

/// <summary>Invoices in memory, per account, and the live feeds of the accounts' new invoices.</summary>
public sealed class InvoiceBook(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Invoice>> _invoices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Subscription, string> _subscriptions = new();

    public IReadOnlyList<Invoice> ListFor(string accountId) =>
        _invoices.TryGetValue(accountId, out var invoices) ? invoices.ToList() : [];

    public Invoice? Find(string accountId, string id) => ListFor(accountId).FirstOrDefault(invoice => invoice.Id == id);

    public Invoice Add(string accountId, string createdBy, string? createdByUser, string customer, decimal amount, string currency)
    {
        var invoice = new Invoice($"inv_{Guid.NewGuid():N}"[..16], accountId, customer, amount, currency, time.GetUtcNow(), createdBy, createdByUser);
        _invoices.GetOrAdd(accountId, _ => new ConcurrentQueue<Invoice>()).Enqueue(invoice);
        foreach (var (subscription, account) in _subscriptions)
        {
            if (account == accountId)
            {
                subscription.Deliver(invoice);
            }
        }

        return invoice;
    }

    /// <summary>New invoices of <paramref name="accountId"/> from now on, until the subscription is disposed.</summary>
    public Subscription Subscribe(string accountId)
    {
        var subscription = new Subscription(this);
        _subscriptions[subscription] = accountId;
        return subscription;
    }

    public sealed class Subscription(InvoiceBook book) : IDisposable
    {
        // A reader that falls behind loses the oldest events rather than holding memory without bound.
        private readonly Channel<Invoice> _channel = Channel.CreateBounded<Invoice>(
            new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<Invoice> Reader => _channel.Reader;

        internal void Deliver(Invoice invoice) => _channel.Writer.TryWrite(invoice);

        public void Dispose()
        {
            book._subscriptions.TryRemove(this, out _);
            _channel.Writer.TryComplete();
        }
    }
}
