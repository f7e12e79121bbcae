using AuthServer.Audit;
using AuthServer.Failures;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Users;

/// <summary>
/// Operators are people with the Identity role <see cref="PeopleSetup.OperatorRole"/>: in the console they manage every
/// account, as an administrator of each. Only the CLI grants the role (on the server's own machine).
/// </summary>
public sealed class OperatorService(UserManager<ConsoleUser> users, RoleManager<IdentityRole> roles, AuditLog audit, Data.AuthDbContext db)
{
    public async Task GrantAsync(string email, Actor actor, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(PersonText.Email(email)) ?? throw new NotFoundException($"Nobody has the email '{email}'; invite them first.");
        if (!await roles.RoleExistsAsync(PeopleSetup.OperatorRole))
        {
            await roles.CreateAsync(new IdentityRole(PeopleSetup.OperatorRole));
        }

        if (await users.IsInRoleAsync(user, PeopleSetup.OperatorRole))
        {
            return;
        }

        await users.AddToRoleAsync(user, PeopleSetup.OperatorRole);
        audit.Record(actor, AuditActions.OperatorGranted, user.Email!, accountId: null);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> IsOperatorAsync(string userId) =>
        await users.FindByIdAsync(userId) is { } user && await users.IsInRoleAsync(user, PeopleSetup.OperatorRole);
}
