using System.Collections.Concurrent;
using System.Collections.Immutable;
using AuthServer.Clients;
using AuthServer.Data;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace AuthServer.Scopes;

/// <summary>
/// Scope → resource servers, for the <c>aud</c> claim of every token. Scopes never change once created,
/// so an entry, once read, is kept for the life of the process. The list of all names (for discovery) is
/// re-read after <see cref="NamesLifetime"/>, since new scopes appear.
/// </summary>
public sealed class ScopeCatalog(IServiceScopeFactory scopeFactory, IOptions<ClientOptions> options, TimeProvider time)
{
    public static readonly TimeSpan NamesLifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ImmutableArray<string>> _resources = new(StringComparer.Ordinal);
    private (DateTimeOffset ReadAt, IReadOnlyList<string> Names)? _names;

    /// <summary>Every defined scope, sorted; while the database cannot be read, the last list read (or null).</summary>
    public async ValueTask<IReadOnlyList<string>?> NamesAsync(CancellationToken cancellationToken)
    {
        if (_names is { } cached && time.GetUtcNow() - cached.ReadAt < NamesLifetime)
        {
            return cached.Names;
        }

        try
        {
            var names = await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, LoadNamesAsync, cancellationToken);
            _names = (time.GetUtcNow(), names);
            return names;
        }
        catch (DatabaseUnavailableException)
        {
            return _names?.Names;
        }
    }

    private async Task<IReadOnlyList<string>> LoadNamesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var entity in manager.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (await manager.GetNameAsync(entity, cancellationToken) is { } name)
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    public async ValueTask<IReadOnlyCollection<string>> ResourcesOfAsync(IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var audiences = new SortedSet<string>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var scope in scopes)
        {
            if (_resources.TryGetValue(scope, out var resources))
            {
                audiences.UnionWith(resources);
            }
            else
            {
                (missing ??= []).Add(scope);
            }
        }

        if (missing is not null)
        {
            var loaded = await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, token => LoadAsync(missing, token), cancellationToken);
            foreach (var (_, resources) in loaded)
            {
                audiences.UnionWith(resources);
            }
        }

        return audiences;
    }

    private async Task<Dictionary<string, ImmutableArray<string>>> LoadAsync(List<string> names, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var loaded = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        await foreach (var entity in manager.FindByNamesAsync([.. names], cancellationToken))
        {
            var name = await manager.GetNameAsync(entity, cancellationToken);
            if (name is not null)
            {
                loaded[name] = _resources[name] = await manager.GetResourcesAsync(entity, cancellationToken);
            }
        }

        return loaded;
    }
}
