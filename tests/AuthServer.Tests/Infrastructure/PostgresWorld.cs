namespace AuthServer.Tests.Infrastructure;

/// <summary>The standard test world on a fresh PostgreSQL database instead of SQLite.</summary>
public sealed class PostgresWorld() : TestWorld(PostgresSettings(PostgresCluster.Shared))
{
    public static Dictionary<string, string?> PostgresSettings(PostgresCluster cluster) => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["Database:ConnectionString"] = cluster.CreateDatabase(),
    };
}

/// <summary>The admin test world on PostgreSQL.</summary>
public sealed class PostgresAdminWorld() : AdminWorld(PostgresWorld.PostgresSettings(PostgresCluster.Shared));
