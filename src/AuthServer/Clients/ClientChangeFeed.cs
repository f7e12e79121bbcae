using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Clients;

/// <summary>
/// Polls <see cref="ClientChange"/> rows and evicts the changed clients from <see cref="ClientDirectory"/>.
/// This is what lets every instance cache clients and still refuse a revoked key within
/// <see cref="ClientOptions.MaxStaleness"/>, with one small query per poll instead of one per token request.
/// </summary>
public sealed partial class ClientChangeFeed(
    IServiceScopeFactory scopeFactory,
    ClientDirectory directory,
    ClientChangeFeedHealth health,
    TimeProvider time,
    IOptions<ClientOptions> options,
    ILogger<ClientChangeFeed> logger) : BackgroundService
{
    private readonly InsertOrderCursor _cursor = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DatabasePoll.RunAsync(
        options.Value.ChangePollInterval, time, PollAsync, exception => LogPollFailed(logger, exception.GetType().Name, exception.Message), stoppingToken);

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        await using var scope = scopeFactory.CreateAsyncScope();
        var changes = scope.ServiceProvider.GetRequiredService<AuthDbContext>().ClientChanges.AsNoTracking();

        if (!_cursor.Started)
        {
            // Start from now. Clients read before this first poll (requests are served, uncached trust aside,
            // while the feed is not current) may have changed since: forget them.
            _cursor.StartAt(await changes.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0);
            directory.EvictAll();
            health.MarkRead(startedAt);
            return;
        }

        var rows = await changes
            .Where(c => c.Id > _cursor.Floor)
            .OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.ClientId })
            .ToListAsync(cancellationToken);

        foreach (var row in rows)
        {
            if (_cursor.See(row.Id))
            {
                directory.Evict(row.ClientId);
            }
        }

        _cursor.Advance(startedAt);
        health.MarkRead(startedAt);

        if (startedAt - _lastSweep > options.Value.MaxCacheAge / 5)
        {
            _lastSweep = startedAt;
            directory.RemoveOldEntries();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the client change feed ({ErrorType}: {Error}); cached clients are not trusted until it is read again.")]
    private static partial void LogPollFailed(ILogger logger, string errorType, string error);
}
