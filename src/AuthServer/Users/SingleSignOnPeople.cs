using System.Security.Claims;
using AuthServer.Audit;
using AuthServer.Failures;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Users;

/// <summary>
/// Which person an identity from the company's OpenID Connect provider signs in. Nobody signs up this way either: the
/// identity signs in the person it was linked to, or the first time the existing person (someone who accepted an
/// invitation) whose email the provider states and does not call unverified; that link is kept and audited.
/// </summary>
public sealed class SingleSignOnPeople(UserManager<ConsoleUser> users, AuditLog audit)
{
    /// <param name="trustUnverifiedEmails">
    /// Whether an email the provider does not mark verified (<c>email_verified</c> absent: e.g. Microsoft Entra ID) may
    /// still link; off by default, since whoever can set such an email could take over that person's sign-in.
    /// </param>
    public async Task<ConsoleUser> PersonForAsync(ExternalLoginInfo login, string address, bool trustUnverifiedEmails = false)
    {
        if (await users.FindByLoginAsync(login.LoginProvider, login.ProviderKey) is { } linked)
        {
            return linked;
        }

        var email = login.Principal.FindFirstValue("email") ?? login.Principal.FindFirstValue(ClaimTypes.Email);
        var verified = login.Principal.FindFirstValue("email_verified");
        var isVerified = string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase) || (verified is null && trustUnverifiedEmails);
        if (string.IsNullOrWhiteSpace(email) || !isVerified)
        {
            throw new NotFoundException("Your single sign-on did not give a verified email, so it cannot be matched to a console sign-in. Ask your administrator.");
        }

        var person = await users.FindByEmailAsync(email)
            ?? throw new NotFoundException($"There is no console sign-in for {email}. Ask an administrator of your account for an invitation.");
        if (await users.IsLockedOutAsync(person))
        {
            throw new ConflictException("This sign-in is locked for now after too many failed attempts; try again later.");
        }

        if ((await users.GetLoginsAsync(person)).Any(existing => existing.LoginProvider == login.LoginProvider))
        {
            // One identity per person and provider: a recycled or reassigned email at the provider does not open an existing sign-in.
            throw new ConflictException($"The console sign-in for {person.Email} is already linked to another single sign-on identity. Ask an administrator.");
        }
        audit.Record(Actor.Person(person.Email!, address), AuditActions.SingleSignOnLinked, person.Email!, accountId: null, new { Provider = login.LoginProvider, Subject = login.ProviderKey });
        var added = await users.AddLoginAsync(person, new UserLoginInfo(login.LoginProvider, login.ProviderKey, login.ProviderDisplayName));
        if (!added.Succeeded)
        {
            throw new ConflictException(string.Join(" ", added.Errors.Select(e => e.Description)));
        }

        return person;
    }
}
