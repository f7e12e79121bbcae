using AuthServer.Audit;
using AuthServer.Failures;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthServer.Users;

/// <summary>
/// A person's passkeys (ASP.NET Core Identity's WebAuthn support), added and removed by that person only. Each change
/// is audited with the person as actor, saved together with the change (Identity's store saves the same unit of work).
/// </summary>
public sealed class PasskeyService(UserManager<ConsoleUser> users, AuditLog audit)
{
    public Task<IList<UserPasskeyInfo>> ListAsync(ConsoleUser user) => users.GetPasskeysAsync(user);

    public async Task AddAsync(ConsoleUser user, UserPasskeyInfo passkey, Actor actor)
    {
        audit.Record(actor, AuditActions.PasskeyAdded, user.Email!, accountId: null, new { Passkey = IdOf(passkey) });
        Require(await users.AddOrUpdatePasskeyAsync(user, passkey));
    }

    /// <param name="passkeyId">The credential ID, base64url, as <see cref="IdOf"/> shows it.</param>
    public async Task RemoveAsync(ConsoleUser user, string? passkeyId, Actor actor)
    {
        var credentialId = Decode(passkeyId);
        if (credentialId is null || await users.GetPasskeyAsync(user, credentialId) is null)
        {
            throw new NotFoundException("You have no such passkey; it may have been removed already.");
        }

        audit.Record(actor, AuditActions.PasskeyRemoved, user.Email!, accountId: null, new { Passkey = passkeyId });
        Require(await users.RemovePasskeyAsync(user, credentialId));
        Require(await users.UpdateSecurityStampAsync(user)); // sessions on the lost device end at their next request
    }

    public static string IdOf(UserPasskeyInfo passkey) => WebEncoders.Base64UrlEncode(passkey.CredentialId);

    private static byte[]? Decode(string? passkeyId)
    {
        if (string.IsNullOrEmpty(passkeyId) || passkeyId.Length > 1400) // WebAuthn credential IDs are at most 1023 bytes
        {
            return null;
        }

        try
        {
            return WebEncoders.Base64UrlDecode(passkeyId);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void Require(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new ConflictException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
