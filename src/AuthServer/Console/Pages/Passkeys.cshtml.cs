using AuthServer.Failures;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console.Pages;

/// <summary>The signed-in person's passkeys (WebAuthn, ASP.NET Core Identity's): a sign-in method beside the password.</summary>
public sealed class PasskeysModel(SignInManager<ConsoleUser> signIn, UserManager<ConsoleUser> users, PasskeyService passkeys, ConsoleActor actor) : PageModel
{
    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task OnGetAsync() => Passkeys = await passkeys.ListAsync(await CurrentAsync());

    /// <summary>The options for <c>navigator.credentials.create()</c> (called by console.js).</summary>
    public async Task<IActionResult> OnPostOptionsAsync()
    {
        var user = await CurrentAsync();
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = user.Email!, DisplayName = user.DisplayName });
        return Content(options, "application/json");
    }

    public async Task<IActionResult> OnPostRegisterAsync(string? credential)
    {
        var user = await CurrentAsync();
        var attestation = string.IsNullOrEmpty(credential) ? null : await signIn.PerformPasskeyAttestationAsync(credential);
        if (attestation is { Succeeded: true })
        {
            await passkeys.AddAsync(user, attestation.Passkey, actor.For(User));
            Done = "Passkey added: you can sign in with it from now on.";
        }
        else
        {
            ModelState.AddModelError("", "The passkey could not be added" + (attestation?.Failure is { } failure ? $": {failure.Message}" : ".") + " Try again.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Passkeys = await passkeys.ListAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? passkeyId)
    {
        var user = await CurrentAsync();
        try
        {
            await passkeys.RemoveAsync(user, passkeyId, actor.For(User));
            await signIn.RefreshSignInAsync(user); // this session stays, with the new security stamp
            Done = "Passkey removed: it no longer signs you in.";
        }
        catch (AuthServerException exception)
        {
            ModelState.AddModelError("", exception.Message);
            Response.StatusCode = ConsoleRefusal.StatusOf(exception);
        }

        Passkeys = await passkeys.ListAsync(user);
        return Page();
    }

    private async Task<ConsoleUser> CurrentAsync() => await users.GetUserAsync(User) ?? throw new InvalidOperationException("Not signed in.");
}
