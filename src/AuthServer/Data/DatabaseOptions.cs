namespace AuthServer.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite, a relative <c>Data Source</c> starts at the content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=authserver.db";

    /// <summary>Apply pending migrations when the server starts (and before a CLI command runs).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Upper bound for one database command, so that a stalled database cannot hang requests.</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;
}
