using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Signing;

/// <summary>
/// Keeps <see cref="SigningKeySet"/> on the key set in the database (README "Signing keys"): every
/// <see cref="SigningRotationOptions.CheckInterval"/> each instance reads the keys, makes the next one when it is due
/// (<see cref="SigningKeySchedule"/>; of instances racing, the unique generation lets one insert it), removes those
/// whose last token has expired, and signs with the active one. The first read happens before the server starts.
/// </summary>
public sealed partial class SigningKeyRotation(
    SigningKeySet keySet,
    SigningKeyMaterial material,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    IOptions<SigningOptions> signing,
    IOptions<Tokens.TokenOptions> tokens,
    IOptions<Browser.BrowserOptions> browser,
    ILogger<SigningKeyRotation> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SigningCredentials?> _opened = new(StringComparer.Ordinal);
    private List<SigningKey> _known = [];

    /// <summary>How long a retired key stays published: the longest token lifetime plus clock skew.</summary>
    public TimeSpan Retention =>
        (tokens.Value.AccessTokenLifetime > browser.Value.AccessTokenLifetime ? tokens.Value.AccessTokenLifetime : browser.Value.AccessTokenLifetime)
        + signing.Value.Rotation.ClockSkew;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DatabasePoll.RunAsync(
        signing.Value.Rotation.CheckInterval, time, RefreshAsync,
        exception => LogRefreshFailed(logger, exception.GetType().Name, exception.Message), stoppingToken);

    /// <summary>One read of the key set; public for tests, which drive the clock.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                _known = await ReadAndMaintainAsync(now, cancellationToken);
            }
            finally
            {
                // Also when the database cannot be read: a key announced earlier still activates on time.
                Apply(_known, now);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<SigningKey>> ReadAndMaintainAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var rows = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        var usable = rows.Where(row => Open(row) is not null).ToList();

        if (SigningKeySchedule.NextActivation(usable, now, keySet.Algorithm, signing.Value.Rotation, keySet.FileKeySigns) is { } activatesAt)
        {
            var generation = rows.Count == 0 ? 1 : rows.Max(row => row.Generation) + 1;
            if (await TryInsertAsync(db, material.Generate(keySet.Algorithm, generation, now, activatesAt), cancellationToken) is { } made)
            {
                rows.Add(made);
            }
            else
            {
                rows = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            }

            usable = [.. rows.Where(row => Open(row) is not null)];
        }

        var removable = usable.Where(key => SigningKeySchedule.IsRemovable(key, usable, now, Retention)).Select(key => key.Id).ToList();
        if (removable.Count > 0)
        {
            await db.SigningKeys.Where(key => removable.Contains(key.Id)).ExecuteDeleteAsync(cancellationToken);
            usable.RemoveAll(key => removable.Contains(key.Id));
            rows.RemoveAll(key => removable.Contains(key.Id));
            foreach (var id in removable)
            {
                LogRemoved(logger, id);
            }
        }

        foreach (var gone in _opened.Keys.Where(id => !rows.Exists(row => row.Id == id)).ToList())
        {
            _opened.Remove(gone);
        }

        return usable;
    }

    private void Apply(List<SigningKey> usable, DateTime now)
    {
        var active = SigningKeySchedule.Active(usable, now);
        var published = usable.Where(key => !SigningKeySchedule.IsRemovable(key, usable, now, Retention)).OrderByDescending(key => key.Generation);
        keySet.Use(active is null ? null : Open(active), [.. published.Select(key => Open(key)!)]);
    }

    private async Task<SigningKey?> TryInsertAsync(AuthDbContext db, SigningKey key, CancellationToken cancellationToken)
    {
        db.SigningKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogGenerated(logger, key.Algorithm, key.Id, key.Generation, key.ActivatesAt);
            return key;
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // Another instance made this generation between the read and the insert: its key is the one.
            db.Entry(key).State = EntityState.Detached;
            return null;
        }
    }

    /// <summary>Each key is decrypted once per instance; one that cannot be read is reported once and left out.</summary>
    private SigningCredentials? Open(SigningKey key)
    {
        if (!_opened.TryGetValue(key.Id, out var credentials))
        {
            credentials = material.TryOpen(key);
            _opened[key.Id] = credentials;
            if (credentials is null)
            {
                LogUnreadable(logger, key.Id, key.Generation);
            }
        }

        return credentials;
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated {Algorithm} signing key {KeyId} (generation {Generation}); published now, signs from {ActivatesAt:O}.")]
    private static partial void LogGenerated(ILogger logger, string algorithm, string keyId, int generation, DateTime activatesAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed signing key {KeyId}: every token it signed has expired.")]
    private static partial void LogRemoved(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing key {KeyId} (generation {Generation}) cannot be decrypted with the Data Protection key ring; it is neither used nor published.")]
    private static partial void LogUnreadable(ILogger logger, string keyId, int generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the signing keys ({ErrorType}: {Error}); the current keys stay in use and the next check tries again.")]
    private static partial void LogRefreshFailed(ILogger logger, string errorType, string error);
}
