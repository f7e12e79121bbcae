using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Secrets;
using AuthServer.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Users;

public sealed record InvitationView(string Id, string AccountId, string Email, MemberRole Role, DateTime CreatedAt, string CreatedBy, DateTime ExpiresAt);

/// <summary>An invitation just made: <see cref="Link"/> carries the token, shown once and never stored.</summary>
public sealed record CreatedInvitation(InvitationView Invitation, string Link);

/// <summary>
/// Operators invite an account's first administrator, administrators invite the others. Accepting sets the
/// person's password and display name (or, for someone who already has a sign-in, checks their password) and
/// makes them a member; a link works once, before it expires, and only its hash is stored.
/// </summary>
public sealed class InvitationService(
    AuthDbContext db,
    AccountService accounts,
    UserManager<ConsoleUser> users,
    InvitationLinks links,
    AuditLog audit,
    TimeProvider time,
    IOptions<UsersOptions> options)
{
    public const string IdPrefix = "inv_";

    public async Task<CreatedInvitation> CreateAsync(string accountId, string email, MemberRole role, Actor actor, CancellationToken cancellationToken)
    {
        email = PersonText.Email(email);
        if (!Enum.IsDefined(role))
        {
            throw new InvalidFieldException("role", "The role is administrator or member.");
        }

        await accounts.GetAsync(accountId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var token = InvitationLinks.NewToken();
        var invitation = new Invitation
        {
            Id = IdPrefix + Base62.RandomString(16),
            AccountId = accountId,
            Email = email,
            Role = role,
            TokenHash = ClientSecret.Hash(token),
            CreatedAt = now,
            CreatedBy = actor.Id,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        audit.Record(actor, AuditActions.InvitationCreated, invitation.Id, accountId, new { email, Role = role.ToString(), invitation.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedInvitation(ToView(invitation), links.For(token));
    }

    /// <summary>The invitation a link's token opens, if it can still be accepted; otherwise a not-found that tells nothing more.</summary>
    public async Task<InvitationView> FindOpenAsync(string? token, CancellationToken cancellationToken) =>
        ToView(await FindOpenEntityAsync(token, cancellationToken));

    public async Task<IReadOnlyList<InvitationView>> ListOpenAsync(string accountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var open = await db.Invitations.AsNoTracking()
            .Where(i => i.AccountId == accountId && i.AcceptedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        return open.Select(ToView).ToList();
    }

    /// <summary>Whether a person with the invited email already exists (then accepting asks for their password, not a new one).</summary>
    public async Task<bool> IsForExistingUserAsync(InvitationView invitation) => await users.FindByEmailAsync(invitation.Email) is not null;

    /// <summary>Accepts once: the person exists afterwards, with the invited role in the account.</summary>
    public async Task<ConsoleUser> AcceptAsync(string? token, string? displayName, string? password, string address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidFieldException("password", "Enter a password.");
        }

        var invitation = await FindOpenEntityAsync(token, cancellationToken);
        var user = await users.FindByEmailAsync(invitation.Email);
        if (user is not null)
        {
            await CheckPasswordAsync(user, password); // outside the transaction: a failed attempt must stay counted
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (user is null)
        {
            user = new ConsoleUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, DisplayName = PersonText.DisplayName(displayName) };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidFieldException("password", string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }

        // Conditional, so that of two acceptances of one link exactly one succeeds.
        var now = time.GetUtcNow().UtcDateTime;
        var accepted = await db.Invitations.Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.AcceptedAt, now), cancellationToken);
        if (accepted == 0)
        {
            throw LinkNotValid();
        }

        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.AccountId == invitation.AccountId && m.UserId == user.Id, cancellationToken);
        if (membership is null)
        {
            db.Memberships.Add(new Membership { AccountId = invitation.AccountId, UserId = user.Id, Role = invitation.Role, CreatedAt = now });
        }
        else
        {
            membership.Role = invitation.Role;
        }

        audit.Record(Actor.Person(invitation.Email, address), AuditActions.InvitationAccepted, invitation.Id, invitation.AccountId, new { invitation.Email, Role = invitation.Role.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// An existing person proves who they are with their password, under the same lockout as signing in: each wrong
    /// password counts, and a locked sign-in cannot accept invitations either.
    /// </summary>
    private async Task CheckPasswordAsync(ConsoleUser user, string password)
    {
        if (await users.IsLockedOutAsync(user))
        {
            throw new InvalidFieldException("password", "Too many failed attempts: this sign-in is locked for now. Try again later.");
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            throw new InvalidFieldException("password", "That is not the password of " + user.Email + ".");
        }

        await users.ResetAccessFailedCountAsync(user);
    }

    private async Task<Invitation> FindOpenEntityAsync(string? token, CancellationToken cancellationToken)
    {
        if (!InvitationLinks.IsWellFormed(token))
        {
            throw LinkNotValid();
        }

        var hash = ClientSecret.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is { AcceptedAt: null } && invitation.ExpiresAt > now && invitation.TokenHash == hash ? invitation : throw LinkNotValid();
    }

    private static NotFoundException LinkNotValid() =>
        new("This invitation link cannot be used: it was already used, it expired, or it was mistyped. Ask for a new invitation.");

    private static InvitationView ToView(Invitation i) => new(i.Id, i.AccountId, i.Email, i.Role, i.CreatedAt, i.CreatedBy, i.ExpiresAt);
}
