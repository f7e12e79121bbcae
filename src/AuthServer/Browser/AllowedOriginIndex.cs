using AuthServer.Clients;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Browser;

/// <summary>
/// Every origin some live key's publishable key allows, for CORS preflights: a preflight carries no body, so no
/// client ID, and is granted only to an origin at least one publishable key allows. Re-read at most once per
/// <see cref="ClientOptions.MaxStaleness"/>. A preflight grants nothing by itself: the token request that follows
/// is checked against its own key's origins.
/// </summary>
public sealed class AllowedOriginIndex(IServiceScopeFactory scopeFactory, TimeProvider time, IOptions<ClientOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private (OriginAllowList Origins, DateTimeOffset ReadAt)? _current;

    /// <exception cref="DatabaseUnavailableException">The origins could not be read within <see cref="ClientOptions.LoadTimeout"/>.</exception>
    public async ValueTask<bool> AllowsAsync(Origin origin, CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() - current.ReadAt < options.Value.MaxStaleness)
        {
            return current.Origins.Allows(origin);
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_current is not { } fresh || time.GetUtcNow() - fresh.ReadAt >= options.Value.MaxStaleness)
            {
                var readAt = time.GetUtcNow();
                fresh = (await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, ReadAsync, cancellationToken), readAt);
                _current = fresh;
            }

            return fresh.Origins.Allows(origin);
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<OriginAllowList> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var lists = await db.PublishableKeys.AsNoTracking()
            .Join(db.ApiKeys.Where(k => k.RevokedAt == null), p => p.KeyId, k => k.Id, (p, _) => p.AllowedOrigins)
            .ToListAsync(cancellationToken);
        return OriginAllowList.FromStored(lists.SelectMany(list => list).Distinct(StringComparer.Ordinal));
    }

    public void Dispose() => _reload.Dispose();
}
