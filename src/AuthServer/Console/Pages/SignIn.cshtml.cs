using AuthServer.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console.Pages;

public sealed class SignInModel(SignInManager<ConsoleUser> signIn) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!string.IsNullOrEmpty(Email) && !string.IsNullOrEmpty(Password))
        {
            var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                return SignedIn();
            }

            ModelState.AddModelError("", result.IsLockedOut
                ? "Too many failed attempts: this sign-in is locked for 15 minutes. Try again later, or ask an administrator."
                : "That email and password do not match.");
        }
        else
        {
            ModelState.AddModelError("", "Enter your email and password.");
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>The options for <c>navigator.credentials.get()</c> (called by console.js): any of the person's passkeys.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() => Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json");

    public async Task<IActionResult> OnPostPasskeyAsync(string? credential)
    {
        var result = string.IsNullOrEmpty(credential) ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.PasskeySignInAsync(credential);
        if (result.Succeeded)
        {
            return SignedIn();
        }

        ModelState.AddModelError("", result.IsLockedOut ? "This sign-in is locked for now; try again later." : "That passkey did not sign you in. Try again, or use your password.");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private LocalRedirectResult SignedIn() =>
        LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl.StartsWith(ConsoleSetup.BasePath, StringComparison.Ordinal) ? ReturnUrl : ConsoleSetup.BasePath);
}
