using Microsoft.EntityFrameworkCore;

namespace AuthServer.Data;

/// <summary>
/// Tells "another writer inserted that unique value first" (expected when instances race) from every other failed
/// save, on each provider. <see cref="DatabaseFailure.IsUnavailable"/> counts every database error as unavailable,
/// which a unique violation is not.
/// </summary>
public static class UniqueViolation
{
    public static bool Is(DbUpdateException exception) => exception.InnerException switch
    {
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        Microsoft.Data.SqlClient.SqlException sqlServer => sqlServer.Number is 2601 or 2627,
        _ => false,
    };
}
