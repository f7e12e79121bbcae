using Npgsql;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster (scripts/postgres-throwaway.sh). The shared one is the server CI started
/// (AUTHSERVER_TEST_POSTGRES) or, when run locally, one this test run starts and stops. Tests that stop the
/// database start a dedicated cluster so that they never disturb the others.
/// </summary>
public sealed class PostgresCluster
{
    public const string EnvironmentVariable = "AUTHSERVER_TEST_POSTGRES";

    private static readonly Lazy<PostgresCluster> SharedCluster = new(StartShared);
    private readonly string? _folder;

    private PostgresCluster(string connectionString, string? folder)
    {
        ConnectionString = connectionString;
        _folder = folder;
    }

    public static PostgresCluster Shared => SharedCluster.Value;

    /// <summary>Connection string of the cluster's <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>A cluster of its own, stopped (and its folder deleted) when the test process ends.</summary>
    public static PostgresCluster StartDedicated()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-pg-").FullName;
        // The script's watchdog stops the cluster and deletes the folder when this test process ends, however it ends.
        // A port from the system (not the script's first-free search) so that clusters started at once never collide.
        return new PostgresCluster(Script("start", folder, AuthServerProcess.FreeLoopbackPort()), folder);
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"authserver_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }

        // A connect timeout with room for a busy machine (every request path is bounded by Clients:LoadTimeout anyway).
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Timeout = 10 }.ConnectionString;
    }

    /// <summary>Stops the server (only for a dedicated cluster): connections are then refused.</summary>
    public void Stop()
    {
        if (_folder is not null)
        {
            Script("stop", _folder);
        }
    }

    /// <summary>Starts it again on the same port with the same data.</summary>
    public void Start()
    {
        if (_folder is not null)
        {
            Script("start", _folder);
        }
    }

    private static PostgresCluster StartShared()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return new PostgresCluster(given, folder: null);
        }

        return StartDedicated();
    }

    private static string Script(string command, string folder, int? port = null) =>
        ThrowawayScript.Run("postgres-throwaway.sh", "PG_THROWAWAY_OWNER_PID", command, folder, port);
}
