using AuthServer.Failures;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Data;

public static class DatabaseSetup
{
    /// <summary>Section <c>Database</c>; its provider and connection string are needed now, to register the context.</summary>
    public static IHostApplicationBuilder AddAuthServerDatabase(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.Section);
        builder.Services.AddOptions<DatabaseOptions>().Bind(section);
        builder.Services.AddAuthServerDatabase(StartupSettings.Bind<DatabaseOptions>(builder.Configuration, DatabaseOptions.Section), builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>Registers <see cref="AuthDbContext"/> for the configured provider, each with its own migrations.</summary>
    public static IServiceCollection AddAuthServerDatabase(this IServiceCollection services, DatabaseOptions options, string contentRoot)
    {
        var timeout = options.CommandTimeoutSeconds;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(options.ConnectionString, contentRoot);
                services.AddDbContextPool<AuthDbContext, SqliteAuthDbContext>((provider, db) => WithInterceptors(provider, db).UseSqlite(sqlite, o => o.CommandTimeout(timeout)));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<AuthDbContext, SqlServerAuthDbContext>((provider, db) => WithInterceptors(provider, db).UseSqlServer(options.ConnectionString, o => o.CommandTimeout(timeout)));
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContextPool<AuthDbContext, PostgreSqlAuthDbContext>((provider, db) => WithInterceptors(provider, db).UseNpgsql(options.ConnectionString, o => o.CommandTimeout(timeout)));
                break;
            default:
                throw new StartupException($"Database:Provider '{options.Provider}' is not one of Sqlite, SqlServer, PostgreSql.");
        }

        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>EF Core interceptors registered as services (e.g. for auditing or diagnostics) apply to every context.</summary>
    private static DbContextOptionsBuilder WithInterceptors(IServiceProvider provider, DbContextOptionsBuilder builder) =>
        builder.AddInterceptors(provider.GetServices<IInterceptor>());

    /// <summary>Resolves a relative SQLite file against the content root (not the working directory) and creates its folder.</summary>
    private static string SqliteConnectionString(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new StartupException($"Database:ConnectionString is not a valid SQLite connection string: {exception.Message}");
        }

        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(file, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        return builder.ToString();
    }
}
