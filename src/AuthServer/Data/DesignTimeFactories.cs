using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AuthServer.Data;

// Used only by `dotnet ef` (with Identity's store options, which shape its tables) to create or check each provider's migrations; the connection strings are never opened.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAuthDbContext>
{
    public SqliteAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAuthDbContext>().UseApplicationServiceProvider(Users.PeopleSetup.DesignTimeServices()).UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAuthDbContext>
{
    public SqlServerAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerAuthDbContext>().UseApplicationServiceProvider(Users.PeopleSetup.DesignTimeServices()).UseSqlServer("Server=design-time;Database=AuthServer;Trusted_Connection=True").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAuthDbContext>
{
    public PostgreSqlAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlAuthDbContext>().UseApplicationServiceProvider(Users.PeopleSetup.DesignTimeServices()).UseNpgsql("Host=design-time;Database=authserver").Options);
}
