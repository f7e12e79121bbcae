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
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl.StartsWith(ConsoleSetup.BasePath, StringComparison.Ordinal) ? ReturnUrl : ConsoleSetup.BasePath);
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
}
