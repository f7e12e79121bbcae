namespace AuthServer.Data;

/// <summary>
/// What must exist in the database before the server accepts requests (e.g. the admin API's own scopes),
/// made by the concern that needs it. Runs on every start, after the migrations; several instances may race.
/// </summary>
public interface IDatabaseSeed
{
    Task EnsureAsync(CancellationToken cancellationToken);
}

/// <summary>Runs the migrations, then every <see cref="IDatabaseSeed"/>, before the server accepts requests.</summary>
public sealed class DatabaseInitialization(DatabaseMigrator migrator, IServiceScopeFactory scopeFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await SeedAsync(scopeFactory, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task SeedAsync(IServiceScopeFactory scopeFactory, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        foreach (var seed in scope.ServiceProvider.GetServices<IDatabaseSeed>())
        {
            await seed.EnsureAsync(cancellationToken);
        }
    }
}
