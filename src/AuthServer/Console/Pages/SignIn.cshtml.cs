using AuthServer.Console.SingleSignOn;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AuthServer.Console.Pages;

public sealed class SignInModel(SignInManager<ConsoleUser> signIn, IOptions<SingleSignOnOptions> singleSignOn) : PageModel
{
    /// <summary>The single sign-on button's provider name; null when single sign-on is off.</summary>
    public string? SingleSignOn => singleSignOn.Value.Enabled ? singleSignOn.Value.DisplayName : null;

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

    /// <summary>Off to the company's OpenID Connect provider; it sends the person back to <see cref="SingleSignOnModel"/>.</summary>
    public IActionResult OnPostSingleSignOn()
    {
        if (SingleSignOn is null)
        {
            return NotFound();
        }

        var back = Url.Page("/SingleSignOn", new { returnUrl = ConsolePathOr(ReturnUrl, Url) });
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(SingleSignOnSetup.Scheme, back), SingleSignOnSetup.Scheme);
    }

    /// <summary>Where a person goes once signed in: the console page they asked for, never another site.</summary>
    public static string ConsolePathOr(string? returnUrl, IUrlHelper url) =>
        url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(ConsoleSetup.BasePath, StringComparison.Ordinal) ? returnUrl : ConsoleSetup.BasePath;

    private LocalRedirectResult SignedIn() => LocalRedirect(ConsolePathOr(ReturnUrl, Url));
}
