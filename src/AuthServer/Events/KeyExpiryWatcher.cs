using System.Globalization;
using AuthServer.ApiKeys;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Events;

/// <summary>
/// Writes <c>key.expiring_soon</c> once a key's expiry is within <see cref="EventOptions.ExpiringSoonNotice"/>, and
/// <c>key.expired</c> once it has passed (for keys that expired within <see cref="ExpiredLookback"/>, so that a first
/// start does not announce keys that expired long ago). Every instance watches; each occurrence has a unique
/// <see cref="LifecycleEvent.OccurrenceKey"/> (type, key, expiry), so only one instance's event is kept, and a key
/// whose expiry is extended is announced again for its new expiry.
/// </summary>
public sealed partial class KeyExpiryWatcher(
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptions<EventOptions> options,
    ILogger<KeyExpiryWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan ExpiredLookback = TimeSpan.FromDays(7);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DatabasePoll.RunAsync(
        options.Value.ExpiryCheckInterval, time, CheckAsync, exception => LogCheckFailed(logger, exception.GetType().Name, exception.Message), stoppingToken);

    /// <summary>One check; public for tests, which drive the clock.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var notice = options.Value.ExpiringSoonNotice;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();

        var soon = now + notice;
        var expiring = await db.ApiKeys.AsNoTracking()
            .Where(ApiKeyStatusRule.IsActiveAt(now))
            .Where(k => k.ExpiresAt != null && k.ExpiresAt <= soon)
            .Select(k => new Due(k.Id, k.AccountId, k.ExpiresAt!.Value))
            .ToListAsync(cancellationToken);
        var since = now - ExpiredLookback;
        var expired = await db.ApiKeys.AsNoTracking()
            .Where(ApiKeyStatusRule.IsExpiredAt(now))
            .Where(k => k.ExpiresAt > since)
            .Select(k => new Due(k.Id, k.AccountId, k.ExpiresAt!.Value))
            .ToListAsync(cancellationToken);

        if (notice > TimeSpan.Zero)
        {
            await WriteAsync(db, LifecycleEventTypes.KeyExpiringSoon, expiring, now, cancellationToken);
        }

        await WriteAsync(db, LifecycleEventTypes.KeyExpired, expired, now, cancellationToken);
    }

    private static async Task WriteAsync(AuthDbContext db, string type, List<Due> due, DateTime now, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        var keys = due.ToDictionary(d => OccurrenceKeyOf(type, d), d => d);
        var written = new List<string>();
        foreach (var chunk in keys.Keys.Chunk(500)) // a list is one parameter per item; SQL Server allows 2,100
        {
            written.AddRange(await db.LifecycleEvents.AsNoTracking()
                .Where(e => e.OccurrenceKey != null && chunk.Contains(e.OccurrenceKey))
                .Select(e => e.OccurrenceKey!)
                .ToListAsync(cancellationToken));
        }

        foreach (var (occurrence, key) in keys.ExceptBy(written, pair => pair.Key))
        {
            var row = new LifecycleEvent
            {
                EventId = LifecycleEvent.NewEventId(),
                Type = type,
                OccurredAt = type == LifecycleEventTypes.KeyExpired ? key.ExpiresAt : now,
                AccountId = key.AccountId,
                KeyId = key.KeyId,
                Subject = key.KeyId,
                Details = string.Create(CultureInfo.InvariantCulture, $$"""{"expiresAt":"{{key.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}}"}"""),
                OccurrenceKey = occurrence,
            };
            db.LifecycleEvents.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
            {
                // Another instance wrote this occurrence between the read and the insert: its event is the one. Clearing
                // drops what was added with it (its webhook deliveries) too.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static string OccurrenceKeyOf(string type, Due key) =>
        string.Create(CultureInfo.InvariantCulture, $"{type}:{key.KeyId}:{key.ExpiresAt:yyyy-MM-ddTHH:mm:ss.fffffffZ}");

    private sealed record Due(string KeyId, string AccountId, DateTime ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check keys for expiry events ({ErrorType}: {Error}); the next check tries again.")]
    private static partial void LogCheckFailed(ILogger logger, string errorType, string error);
}
