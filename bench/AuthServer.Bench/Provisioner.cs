using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Hosting;
using AuthServer.Resources;
using AuthServer.Scopes;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthServer.Bench;

internal sealed record Credentials(string ClientId, string Secret)
{
    /// <summary>client_secret_basic; key IDs and secrets are base62 and '_', which need no form-encoding first.</summary>
    public string BasicAuthorization => "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{Secret}"));
}

internal sealed record ProvisionedDatabase(
    DatabaseProvider Provider, string ConnectionString, IReadOnlyList<Credentials> Keys, Credentials Introspection, TimeSpan Took);

/// <summary>
/// Fills a fresh database in-process with AuthServer's own services: accounts (100 keys each, within their key
/// limit) by <see cref="AccountService"/>, and keys by <see cref="ApiKeyCreator"/> (its own transaction, the key
/// limit, OpenIddict's application manager, a CSPRNG secret stored as its SHA-256 hash), in parallel workers.
/// Going through the creator costs about 1 ms of CPU per key, several minutes for 100,000 keys on two cores, so
/// for the large database only the first key of each account is made that way and the others are cloned from
/// its rows in bulk (<see cref="BulkKeys"/>): real keys with their own IDs and real hashed secrets.
/// </summary>
internal static class Provisioner
{
    public const string Resource = "bench-api";
    public const string Scope = "bench:read";
    private const int KeysPerAccount = 100;
    private static readonly Actor Bench = new("bench", "local");

    /// <param name="createdThroughService">Keys per account made by <see cref="ApiKeyCreator"/>; the rest are cloned (see <see cref="BulkKeys"/>).</param>
    public static async Task<ProvisionedDatabase> CreateAsync(
        DatabaseProvider provider, string connectionString, int keyCount, int createdThroughService, int workers, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var host = BuildHost(provider, connectionString);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);

        IssuedResourceCredentials resource;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var resources = scope.ServiceProvider.GetRequiredService<ResourceServerService>();
            await resources.CreateAsync(Resource, "The benchmark's resource server", Bench, cancellationToken);
            resource = await resources.IssueCredentialsAsync(Resource, Bench, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<ScopeService>()
                .CreateAsync(Scope, "Read access for the benchmark", [Resource], Bench, cancellationToken);
        }

        var keys = new ConcurrentBag<(int Index, Credentials Key)>();
        var accounts = (keyCount + KeysPerAccount - 1) / KeysPerAccount;
        var created = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (account, ct) =>
            {
                var first = account * KeysPerAccount;
                var count = Math.Min(KeysPerAccount, keyCount - first);
                await using var scope = host.Services.CreateAsyncScope();
                var tenant = await scope.ServiceProvider.GetRequiredService<AccountService>()
                    .CreateAsync($"Bench tenant {account}", KeysPerAccount, Bench, ct);
                var creator = scope.ServiceProvider.GetRequiredService<ApiKeyCreator>();
                var direct = Math.Min(count, createdThroughService);
                for (var i = 0; i < direct; i++)
                {
                    var key = await creator.CreateAsync(
                        new CreateApiKeyRequest(tenant.Id, $"bench key {first + i}", [Scope], ExpiresAt: null), Bench, ct);
                    keys.Add((first + i, new Credentials(key.Key.KeyId, key.Secret!)));
                }

                if (count > direct)
                {
                    var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                    foreach (var (index, key) in await BulkKeys.CloneAsync(db, tenant.Id, first + direct, count - direct, ct))
                    {
                        keys.Add((index, key));
                    }
                }

                var done = Interlocked.Add(ref created, count);
                if (done % 10_000 < count && keyCount >= 10_000)
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} keys ({clock.Elapsed.TotalSeconds:F0} s)"));
                }
            });

        return new ProvisionedDatabase(provider, connectionString, keys.OrderBy(k => k.Index).Select(k => k.Key).ToList(),
            new Credentials(resource.ClientId, resource.ClientSecret), clock.Elapsed);
    }

    private static IHost BuildHost(DatabaseProvider provider, string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
            ["Database:CommandTimeoutSeconds"] = "60",
        });
        builder.AddAuthServerCore();
        if (provider == DatabaseProvider.Sqlite)
        {
            builder.Services.AddSingleton<IInterceptor>(new UnsyncedSqliteCommits());
        }

        return builder.Build();
    }

    /// <summary>
    /// The benchmark's database is thrown away after the run, so its commits need not survive a power cut: this
    /// skips the fsync of each key's transaction while provisioning. The server opens the file with its defaults.
    /// </summary>
    private sealed class UnsyncedSqliteCommits : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=OFF;";
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=OFF;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
