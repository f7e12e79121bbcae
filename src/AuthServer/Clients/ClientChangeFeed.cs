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
    // become visible after one with a higher ID. Each poll therefore looks back this many IDs behind the
    // highest one seen and evicts whatever it had not seen yet.
    private const long Lookback = 100;

    private readonly HashSet<long> _seen = [];
    private long _highest = -1;
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

        if (_highest < 0)
        {
            // Nothing is cached yet, so older changes need no eviction.
            _highest = await changes.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            _seen.UnionWith(await changes.Where(c => c.Id > _highest - Lookback).Select(c => c.Id).ToListAsync(cancellationToken));
            health.MarkRead(startedAt);
            return;
        }

        var recent = await changes
            .Where(c => c.Id > _highest - Lookback)
            .OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.ClientId })
            .ToListAsync(cancellationToken);

        foreach (var change in recent)
        {
            if (_seen.Add(change.Id))
            {
                directory.Evict(change.ClientId);
                _highest = Math.Max(_highest, change.Id);
            }
        }

        _seen.RemoveWhere(id => id <= _highest - Lookback);
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
