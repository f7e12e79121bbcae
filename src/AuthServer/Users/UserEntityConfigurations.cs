using AuthServer.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Users;

internal sealed class ConsoleUserConfiguration : IEntityTypeConfiguration<ConsoleUser>
{
    public void Configure(EntityTypeBuilder<ConsoleUser> builder) =>
        builder.Property(u => u.DisplayName).HasMaxLength(ConsoleUser.MaxDisplayNameLength);
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.HasKey(m => new { m.AccountId, m.UserId });
        builder.Property(m => m.AccountId).HasMaxLength(40);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ConsoleUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => m.UserId);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(40);
        builder.Property(i => i.AccountId).HasMaxLength(40);
        builder.Property(i => i.Email).HasMaxLength(ConsoleUser.MaxEmailLength);
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.TokenHash).HasMaxLength(100);
        builder.Property(i => i.CreatedBy).HasMaxLength(100);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
