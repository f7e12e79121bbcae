using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace AuthServer.ResourceServer.Keys;

/// <summary>
/// The AuthServer's discovery document and signing keys (JWKS), fetched once and then served from memory: no
/// request to the AuthServer per validated token. Re-read in the background every <c>KeyRefreshInterval</c>, and
/// at once when a token names a key the cache does not have (a signing-key rotation), at most once per
/// <c>MinimumKeyRefreshInterval</c>. Replaces IdentityModel's ConfigurationManager, whose refresh on an unknown
/// key runs in the background, after the token that needed it was already refused.
/// </summary>
internal sealed partial class AuthServerMetadataCache(
    OpenIddictValidationService validation,
    IOptions<AuthServerResourceOptions> options,
    TimeProvider time,
    ILogger<AuthServerMetadataCache> logger) : IConfigurationManager<OpenIddictConfiguration>, IDisposable
{
    private readonly IConfigurationRetriever<OpenIddictConfiguration> _retriever = new OpenIddictValidationRetriever(validation);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;
    private long _lastAttemptTicks = DateTimeOffset.MinValue.UtcTicks;
    private int _backgroundRefreshRunning;

    private AuthServerResourceOptions Options => options.Value;

    public Task<OpenIddictConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
        {
            return FirstFetchAsync(cancel);
        }

        if (time.GetUtcNow() - current.FetchedAt >= Options.KeyRefreshInterval)
        {
            RefreshInBackground(current.Configuration);
        }

        return Task.FromResult(current.Configuration);
    }

    /// <summary>Called by OpenIddict when a token's key was not found.</summary>
    public void RequestRefresh() => RefreshInBackground(Volatile.Read(ref _current)?.Configuration);

    /// <summary>
    /// Re-reads the keys now because a token names a key missing from <paramref name="seen"/>; returns the
    /// configuration to validate with, which is <paramref name="seen"/> when a refresh is not due yet.
    /// </summary>
    public async Task<OpenIddictConfiguration> RefreshForUnknownKeyAsync(OpenIddictConfiguration seen, CancellationToken cancel) =>
        (await RefreshAsync(seen, cancel))?.Configuration ?? seen;

    public void Dispose() => _gate.Dispose();

    private async Task<OpenIddictConfiguration> FirstFetchAsync(CancellationToken cancel) =>
        (await RefreshAsync(seen: null, cancel))?.Configuration
        ?? throw new InvalidOperationException($"The AuthServer metadata could not be read from {MetadataAddress}; retrying in {Options.MinimumKeyRefreshInterval}.");

    private void RefreshInBackground(OpenIddictConfiguration? seen)
    {
        if (!RefreshAllowedAt(time.GetUtcNow()) || Interlocked.CompareExchange(ref _backgroundRefreshRunning, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(seen, CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already logged; the next request tries again.
            }
            finally
            {
                Volatile.Write(ref _backgroundRefreshRunning, 0);
            }
        });
    }

    private async Task<Snapshot?> RefreshAsync(OpenIddictConfiguration? seen, CancellationToken cancel)
    {
        await _gate.WaitAsync(cancel);
        try
        {
            var current = _current;
            if (current is not null && !ReferenceEquals(current.Configuration, seen))
            {
                return current; // another caller refreshed while this one waited
            }

            var now = time.GetUtcNow();
            if (!RefreshAllowedAt(now))
            {
                return current;
            }

            Volatile.Write(ref _lastAttemptTicks, now.UtcTicks);
            try
            {
                // Not the caller's token: a fetch is shared, and the backchannel timeout bounds it.
                var configuration = await _retriever.GetConfigurationAsync(MetadataAddress, null, CancellationToken.None);
                Volatile.Write(ref _current, new Snapshot(configuration, now));
                LogFetched(logger, MetadataAddress, string.Join(", ", configuration.SigningKeys.Select(key => key.KeyId)));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogFetchFailed(logger, MetadataAddress, exception.Message);
                if (current is null)
                {
                    throw new InvalidOperationException($"The AuthServer metadata could not be read from {MetadataAddress}.", exception);
                }
            }

            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool RefreshAllowedAt(DateTimeOffset now) => now.UtcTicks - Volatile.Read(ref _lastAttemptTicks) >= Options.MinimumKeyRefreshInterval.Ticks;

    private string MetadataAddress => new Uri(Options.Issuer!, ".well-known/openid-configuration").AbsoluteUri;

    [LoggerMessage(Level = LogLevel.Information, Message = "Read the AuthServer metadata from {Address}; signing keys: {KeyIds}.")]
    private static partial void LogFetched(ILogger logger, string address, string keyIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the AuthServer metadata from {Address}: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string address, string reason);

    private sealed record Snapshot(OpenIddictConfiguration Configuration, DateTimeOffset FetchedAt);
}
