using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Data;

/// <summary>Which database the configuration points at and how far its schema is, read without creating anything.</summary>
public sealed record DatabaseState(string Provider, string Location, int Applied, int Pending)
{
    public bool Exists => Applied > 0;

    public string Describe() =>
        $"{Provider} {Location} ({(!Exists ? "no AuthServer schema yet" : Pending == 0 ? $"{Applied} migration(s), up to date" : $"{Pending} migration(s) pending")})";

    public static async Task<DatabaseState> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<AuthDbContext>().Database;
        var connection = database.GetDbConnection();
        var provider = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider.ToString();
        var location = database.IsSqlite() ? connection.DataSource : $"{connection.DataSource}/{connection.Database}";

        // For SQLite this checks that the file exists before opening it, so a missing database stays missing.
        var applied = (await database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        var pending = database.GetMigrations().Count() - applied;
        return new DatabaseState(provider, location, applied, pending);
    }
}
