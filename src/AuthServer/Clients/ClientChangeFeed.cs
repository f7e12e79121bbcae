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
    // Identity values are handed out when a row is inserted, not when its transaction commits, so a row can
    // become visible after rows with higher IDs. The feed therefore re-reads from the lowest ID it has not seen
    // yet (the floor), and gives up waiting for a missing ID — a rolled-back insert, or an identity jump — only
    // after this long, far longer than any of AuthServer's transactions.
    private static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(30);

    private readonly HashSet<long> _seenAboveFloor = [];
    private long _floor = -1;
    private DateTimeOffset? _gapSince;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval, time);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, exception.GetType().Name, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        await using var scope = scopeFactory.CreateAsyncScope();
        var changes = scope.ServiceProvider.GetRequiredService<AuthDbContext>().ClientChanges.AsNoTracking();

        if (_floor < 0)
        {
            // Start from now. Clients read before this first poll (requests are served, uncached trust aside,
            // while the feed is not current) may have changed since: forget them.
            _floor = await changes.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            directory.EvictAll();
            health.MarkRead(startedAt);
            return;
        }

        var rows = await changes
            .Where(c => c.Id > _floor)
            .OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.ClientId })
            .ToListAsync(cancellationToken);

        foreach (var row in rows)
        {
            if (_seenAboveFloor.Add(row.Id))
            {
                directory.Evict(row.ClientId);
            }
        }

        AdvanceFloor(startedAt);
        health.MarkRead(startedAt);

        if (startedAt - _lastSweep > options.Value.MaxCacheAge / 5)
        {
            _lastSweep = startedAt;
            directory.RemoveOldEntries();
        }
    }

    /// <summary>Moves the floor over every ID seen; over a missing one only once it has been missing for <see cref="GapTimeout"/>.</summary>
    private void AdvanceFloor(DateTimeOffset now)
    {
        while (_seenAboveFloor.Count > 0)
        {
            if (_seenAboveFloor.Remove(_floor + 1))
            {
                _floor++;
                _gapSince = null;
                continue;
            }

            _gapSince ??= now;
            if (now - _gapSince < GapTimeout)
            {
                return;
            }

            _floor = _seenAboveFloor.Min() - 1;
            _gapSince = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the client change feed ({ErrorType}: {Error}); cached clients are not trusted until it is read again.")]
    private static partial void LogPollFailed(ILogger logger, string errorType, string error);
}
