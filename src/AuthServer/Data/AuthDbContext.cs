using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Browser;
using AuthServer.Clients;
using AuthServer.Resources;
using AuthServer.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Data;

/// <summary>
/// The one database of AuthServer: its own tables plus OpenIddict's. Each provider has a subclass so that
/// it keeps its own migrations (see <see cref="DatabaseProvider"/>). The people who use the console are ASP.NET Core
/// Identity users in it too.
/// </summary>
public abstract class AuthDbContext(DbContextOptions options) : IdentityDbContext<ConsoleUser>(options), IDataProtectionKeyContext
{
    public DbSet<PublishableKey> PublishableKeys => Set<PublishableKey>();

    /// <summary>ASP.NET Core Data Protection's key ring, shared by every instance (<see cref="Browser.SigningSecretProtector"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<ResourceServer> ResourceServers => Set<ResourceServer>();

    public DbSet<ClientChange> ClientChanges => Set<ClientChange>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Events.LifecycleEvent> LifecycleEvents => Set<Events.LifecycleEvent>();

    public DbSet<Leaks.LeakReportReceipt> LeakReportReceipts => Set<Leaks.LeakReportReceipt>();

    public DbSet<IdempotentKeyCreation> IdempotentKeyCreations => Set<IdempotentKeyCreation>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    /// <summary>Signing keys made by rotation (<see cref="Signing.SigningKeyRotation"/>); empty when keys come from files.</summary>
    public DbSet<Signing.SigningKey> SigningKeys => Set<Signing.SigningKey>();


    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder); // Identity's tables, of the schema version in PeopleSetup.ConfigureStores
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(AuthDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }
}

public sealed class SqliteAuthDbContext(DbContextOptions<SqliteAuthDbContext> options) : AuthDbContext(options);

public sealed class SqlServerAuthDbContext(DbContextOptions<SqlServerAuthDbContext> options) : AuthDbContext(options);

public sealed class PostgreSqlAuthDbContext(DbContextOptions<PostgreSqlAuthDbContext> options) : AuthDbContext(options);
