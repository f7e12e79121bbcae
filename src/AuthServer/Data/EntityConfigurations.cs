using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Data;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(40);
        builder.Property(a => a.Name).HasMaxLength(Account.MaxNameLength);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(40);
        builder.Property(k => k.AccountId).HasMaxLength(40);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.SecretHint).HasMaxLength(40);
        builder.Property(k => k.Environment).HasMaxLength(4)
            .HasConversion(environment => environment == KeyEnvironment.Test ? "test" : "live", text => text == "test" ? KeyEnvironment.Test : KeyEnvironment.Live);
        builder.Property(k => k.CreatedBy).HasMaxLength(100);
        builder.Property(k => k.RevokedBy).HasMaxLength(100);
        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(k => new { k.AccountId, k.RevokedAt });
        builder.Property(k => k.SecretHash).HasMaxLength(60);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.Property(k => k.PreviousSecretHash).HasMaxLength(60);
        builder.HasIndex(k => k.PreviousSecretHash);
    }
}

internal sealed class ResourceServerConfiguration : IEntityTypeConfiguration<ResourceServer>
{
    public void Configure(EntityTypeBuilder<ResourceServer> builder)
    {
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Description).HasMaxLength(ResourceServer.MaxDescriptionLength);
        builder.Property(r => r.CreatedBy).HasMaxLength(100);
    }
}

internal sealed class ClientChangeConfiguration : IEntityTypeConfiguration<ClientChange>
{
    public void Configure(EntityTypeBuilder<ClientChange> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.ClientId).HasMaxLength(100);
    }
}

internal sealed class LifecycleEventConfiguration : IEntityTypeConfiguration<Events.LifecycleEvent>
{
    public void Configure(EntityTypeBuilder<Events.LifecycleEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.EventId).HasMaxLength(40);
        builder.HasIndex(e => e.EventId).IsUnique();
        builder.Property(e => e.Type).HasMaxLength(50);
        builder.Property(e => e.AccountId).HasMaxLength(40);
        builder.Property(e => e.KeyId).HasMaxLength(100);
        builder.Property(e => e.Subject).HasMaxLength(100);
        builder.Property(e => e.OccurrenceKey).HasMaxLength(200);
        builder.HasIndex(e => e.OccurrenceKey).IsUnique();
        builder.HasIndex(e => new { e.AccountId, e.Id });
        builder.HasIndex(e => new { e.Type, e.Id });
    }
}

internal sealed class LeakReportReceiptConfiguration : IEntityTypeConfiguration<Leaks.LeakReportReceipt>
{
    public void Configure(EntityTypeBuilder<Leaks.LeakReportReceipt> builder)
    {
        builder.HasKey(r => r.BodyHash);
        builder.Property(r => r.BodyHash).HasMaxLength(64);
        builder.HasIndex(r => r.ReceivedAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.ActorId).HasMaxLength(100);
        builder.Property(e => e.ActorAddress).HasMaxLength(64);
        builder.Property(e => e.AccountId).HasMaxLength(40);
        builder.Property(e => e.Action).HasMaxLength(50);
        builder.Property(e => e.Subject).HasMaxLength(100);
        builder.HasIndex(e => new { e.AccountId, e.Id });
    }
}

internal sealed class IdempotentKeyCreationConfiguration : IEntityTypeConfiguration<IdempotentKeyCreation>
{
    public void Configure(EntityTypeBuilder<IdempotentKeyCreation> builder)
    {
        builder.HasKey(r => new { r.AccountId, r.IdempotencyKey });
        builder.Property(r => r.AccountId).HasMaxLength(40);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(IdempotentKeyCreation.MaxKeyLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.KeyId).HasMaxLength(40);
    }
}

internal sealed class PublishableKeyConfiguration : IEntityTypeConfiguration<Browser.PublishableKey>
{
    public void Configure(EntityTypeBuilder<Browser.PublishableKey> builder)
    {
        builder.HasKey(p => p.KeyId);
        builder.Property(p => p.KeyId).HasMaxLength(40);
        builder.Property(p => p.Id).HasMaxLength(40).IsRequired();
        builder.HasIndex(p => p.Id).IsUnique();
        builder.Property(p => p.ProtectedSigningSecret).HasMaxLength(1000);
        builder.Property(p => p.SigningSecretHash).HasMaxLength(100);
        builder.HasIndex(p => p.SigningSecretHash);
        builder.HasOne<ApiKey>().WithOne().HasForeignKey<Browser.PublishableKey>(p => p.KeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
