using Npgsql;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// The admin world on its own PostgreSQL database, reached through a <see cref="DatabaseProxy"/> that can stall or
/// refuse, with a pool of 4 connections (so that a test can exhaust it).
/// </summary>
public abstract class ProxiedPostgresWorld : AdminWorld
{
    protected ProxiedPostgresWorld(IDictionary<string, string?> settings)
        : this(ProxyTo(new NpgsqlConnectionStringBuilder(PostgresCluster.Shared.ConnectionString)), settings)
    {
    }

    private ProxiedPostgresWorld(DatabaseProxy proxy, IDictionary<string, string?> settings) : base(Through(proxy, settings)) => Proxy = proxy;

    public DatabaseProxy Proxy { get; }

    public override async Task DisposeAsync()
    {
        Proxy.Resume();
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }

    private static DatabaseProxy ProxyTo(NpgsqlConnectionStringBuilder cluster) => new(cluster.Host ?? "127.0.0.1", cluster.Port);

    private static Dictionary<string, string?> Through(DatabaseProxy proxy, IDictionary<string, string?> settings)
    {
        var database = new NpgsqlConnectionStringBuilder(PostgresCluster.Shared.CreateDatabase()) { Host = "127.0.0.1", Port = proxy.Port, MaxPoolSize = 4 };
        return new Dictionary<string, string?>(settings)
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = database.ConnectionString,
        };
    }
}
