using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Events.Revocations;

/// <summary>
/// Reads the <c>key.revoked</c> events every instance writes into <see cref="RevocationWindow"/>, every
/// <see cref="EventOptions.PollInterval"/>: one small query per poll and instance, however many resource servers
/// follow the stream.
/// </summary>
public sealed partial class RevocationFeed(
    IServiceScopeFactory scopeFactory,
    RevocationWindow window,
    TimeProvider time,
    IOptions<EventOptions> options,
    ILogger<RevocationFeed> logger) : BackgroundService
{
    private readonly InsertOrderCursor _cursor = new();

    // The first poll starts the cursor at the highest ID; a revocation with a lower ID still in its transaction then
    // commits later. For a gap timeout after start, such late ones are looked for below that first floor too.
    private readonly HashSet<long> _readBelowFirstFloor = [];
    private long _firstFloor;
    private DateTimeOffset _firstPollAt;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DatabasePoll.RunAsync(
        options.Value.PollInterval, time, PollAsync, exception => LogPollFailed(logger, exception.GetType().Name, exception.Message), stoppingToken);

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        await using var scope = scopeFactory.CreateAsyncScope();
        var events = scope.ServiceProvider.GetRequiredService<AuthDbContext>().LifecycleEvents.AsNoTracking();

        List<Revocation> read;
        if (!_cursor.Started)
        {
            var since = (startedAt - window.Retention).UtcDateTime;
            var floor = await events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            read = await events.Where(e => e.Id <= floor && e.Type == LifecycleEventTypes.KeyRevoked && e.KeyId != null && e.OccurredAt >= since)
                .OrderBy(e => e.Id).Select(e => new Revocation(e.Id, e.EventId, e.KeyId!, e.OccurredAt)).ToListAsync(cancellationToken);
            _cursor.StartAt(floor);
            (_firstFloor, _firstPollAt) = (floor, startedAt);
            _readBelowFirstFloor.UnionWith(read.Select(r => r.Id));
        }
        else
        {
            // Every event's ID, not only revocations': the cursor's floor moves over IDs it has seen.
            var rows = await events.Where(e => e.Id > _cursor.Floor).OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.Type, e.EventId, e.KeyId, e.OccurredAt }).ToListAsync(cancellationToken);
            read = [.. rows.Where(r => _cursor.See(r.Id) && r.Type == LifecycleEventTypes.KeyRevoked && r.KeyId is not null)
                .Select(r => new Revocation(r.Id, r.EventId, r.KeyId!, r.OccurredAt))];
            _cursor.Advance(startedAt);
            if (startedAt - _firstPollAt < InsertOrderCursor.GapTimeout)
            {
                var since = (_firstPollAt - InsertOrderCursor.GapTimeout).UtcDateTime;
                var late = await events.Where(e => e.Id <= _firstFloor && e.Type == LifecycleEventTypes.KeyRevoked && e.KeyId != null && e.OccurredAt >= since)
                    .Select(e => new Revocation(e.Id, e.EventId, e.KeyId!, e.OccurredAt)).ToListAsync(cancellationToken);
                read.AddRange(late.Where(r => _readBelowFirstFloor.Add(r.Id)));
            }
        }

        window.Publish(read, _cursor.Floor, startedAt);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the revocation events ({ErrorType}: {Error}); the revocation stream is not current until they are read again.")]
    private static partial void LogPollFailed(ILogger logger, string errorType, string error);
}
