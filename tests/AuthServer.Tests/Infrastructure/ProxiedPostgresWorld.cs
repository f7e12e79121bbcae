using Npgsql;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// The admin world on its own PostgreSQL database, reached through a <see cref="DatabaseProxy"/> that can stall or
/// refuse, with a pool of 4 connections (so that a test can exhaust it).
/// </summary>
public abstract class ProxiedPostgresWorld : AdminWorld
{
    /// <param name="connection">Changes to the connection string, e.g. its timeouts.</param>
    protected ProxiedPostgresWorld(IDictionary<string, string?> settings, Action<NpgsqlConnectionStringBuilder>? connection = null)
        : this(ProxyTo(new NpgsqlConnectionStringBuilder(PostgresCluster.Shared.ConnectionString)), settings, connection)
    {
    }

    private ProxiedPostgresWorld(DatabaseProxy proxy, IDictionary<string, string?> settings, Action<NpgsqlConnectionStringBuilder>? connection)
        : base(Through(proxy, settings, connection)) => Proxy = proxy;

    public DatabaseProxy Proxy { get; }

    public override async Task DisposeAsync()
    {
        Proxy.Resume();
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }

    private static DatabaseProxy ProxyTo(NpgsqlConnectionStringBuilder cluster) => new(cluster.Host ?? "127.0.0.1", cluster.Port);

    private static Dictionary<string, string?> Through(DatabaseProxy proxy, IDictionary<string, string?> settings, Action<NpgsqlConnectionStringBuilder>? connection)
    {
        var database = new NpgsqlConnectionStringBuilder(PostgresCluster.Shared.CreateDatabase()) { Host = "127.0.0.1", Port = proxy.Port, MaxPoolSize = 4 };
        connection?.Invoke(database);
        return new Dictionary<string, string?>(settings)
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = database.ConnectionString,
        };
    }
}
