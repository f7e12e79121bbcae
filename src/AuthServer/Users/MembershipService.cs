using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Users;

public sealed record MemberView(string UserId, string Email, string DisplayName, MemberRole Role, DateTime Since);

public sealed record AccountMembership(string AccountId, string AccountName, MemberRole Role);

/// <summary>
/// Who belongs to which account, with what role. A change bumps the person's security stamp, which the console
/// checks on every request: it takes effect on their next request. An account always keeps one administrator.
/// </summary>
public sealed class MembershipService(AuthDbContext db, UserManager<ConsoleUser> users, AuditLog audit)
{
    public async Task<IReadOnlyList<AccountMembership>> AccountsOfAsync(string userId, CancellationToken cancellationToken) =>
        await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { a.Id, a.Name, m.Role })
            .OrderBy(m => m.Name)
            .Select(m => new AccountMembership(m.Id, m.Name, m.Role))
            .ToListAsync(cancellationToken);

    /// <summary>The person's role in the account; null when they do not belong to it.</summary>
    public async Task<MemberRole?> RoleAsync(string userId, string accountId, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.UserId == userId && m.AccountId == accountId, cancellationToken);
        return membership is not null && string.Equals(membership.AccountId, accountId, StringComparison.Ordinal) ? membership.Role : null;
    }

    public async Task<IReadOnlyList<MemberView>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        await db.Memberships.AsNoTracking()
            .Where(m => m.AccountId == accountId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email, u.DisplayName, m.Role, m.CreatedAt })
            .OrderBy(m => m.Email)
            .Select(m => new MemberView(m.Id, m.Email!, m.DisplayName, m.Role, m.CreatedAt))
            .ToListAsync(cancellationToken);

    public async Task ChangeRoleAsync(string accountId, string userId, MemberRole role, Actor actor, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role))
        {
            throw new InvalidFieldException("role", "The role is administrator or member.");
        }

        await ChangeAsync(accountId, userId, async (membership, user) =>
        {
            if (membership.Role == role)
            {
                return;
            }

            if (role != MemberRole.Administrator)
            {
                await EnsureAnotherAdministratorAsync(membership, cancellationToken);
            }

            audit.Record(actor, AuditActions.MemberRoleChanged, user.Email!, accountId, new { From = membership.Role.ToString(), To = role.ToString() });
            membership.Role = role;
        }, cancellationToken);
    }

    public Task RemoveAsync(string accountId, string userId, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, userId, async (membership, user) =>
        {
            await EnsureAnotherAdministratorAsync(membership, cancellationToken);
            audit.Record(actor, AuditActions.MemberRemoved, user.Email!, accountId, new { Role = membership.Role.ToString() });
            db.Memberships.Remove(membership);
        }, cancellationToken);

    private async Task ChangeAsync(string accountId, string userId, Func<Membership, ConsoleUser, Task> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, cancellationToken);
        var user = membership is null ? null : await users.FindByIdAsync(userId);
        if (membership is null || user is null || !string.Equals(membership.UserId, userId, StringComparison.Ordinal))
        {
            throw new NotFoundException("That person is not a member of this account.");
        }

        await change(membership, user);
        await db.SaveChangesAsync(cancellationToken);
        await users.UpdateSecurityStampAsync(user); // their next request is checked against the new stamp
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task EnsureAnotherAdministratorAsync(Membership membership, CancellationToken cancellationToken)
    {
        if (membership.Role == MemberRole.Administrator &&
            !await db.Memberships.AnyAsync(m => m.AccountId == membership.AccountId && m.UserId != membership.UserId && m.Role == MemberRole.Administrator, cancellationToken))
        {
            throw new ConflictException("This is the account's only administrator; make someone else an administrator first.");
        }
    }
}
