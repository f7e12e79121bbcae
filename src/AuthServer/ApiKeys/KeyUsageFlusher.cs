using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

/// <summary>
/// Writes "last used" times (of each key's current secret and of the secret a roll replaced) once per <see cref="ApiKeyOptions.UsageFlushInterval"/>: at most one write per key
/// per interval, into the key's lifecycle row and never into its OpenIddict application row (whose
/// concurrency token would otherwise make admin edits fail).
/// </summary>
public sealed partial class KeyUsageFlusher(
    KeyUsageRecorder recorder,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptions<ApiKeyOptions> options,
    ILogger<KeyUsageFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UsageFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = recorder.TakeBatch();
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (use, usedAt) in batch)
            {
                var keyId = use.KeyId;
                if (use.Secret == SecretMatch.Previous)
                {
                    await db.ApiKeys
                        .Where(k => k.Id == keyId && (k.PreviousSecretLastUsedAt == null || k.PreviousSecretLastUsedAt < usedAt))
                        .ExecuteUpdateAsync(set => set.SetProperty(k => k.PreviousSecretLastUsedAt, usedAt), cancellationToken);
                    continue;
                }

                // A use recorded before a roll was of the secret the roll replaced (which the roll already took over).
                await db.ApiKeys
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt) && (k.SecretRolledAt == null || k.SecretRolledAt <= usedAt))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            recorder.Written();
        }
        catch (Exception exception)
        {
            recorder.Restore(batch);
            LogFlushFailed(logger, batch.Count, exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the last-used time of {Count} keys ({ErrorType}: {Error}); will retry.")]
    private static partial void LogFlushFailed(ILogger logger, int count, string errorType, string error);
}
