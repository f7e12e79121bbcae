using AuthServer.Console.SingleSignOn;
using AuthServer.Failures;
using AuthServer.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AuthServer.Console.Pages;

/// <summary>
/// Where the OpenID Connect handler sends the person back after the provider: the external identity becomes a console
/// session for the person it belongs to (<see cref="SingleSignOnPeople"/>), or the page says why not.
/// </summary>
public sealed class SingleSignOnModel(SignInManager<ConsoleUser> signIn, SingleSignOnPeople people, IOptions<SingleSignOnOptions> settings) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var login = await signIn.GetExternalLoginInfoAsync();
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme); // used once, whatever the outcome
        if (login is null)
        {
            return Refused(StatusCodes.Status400BadRequest, "The single sign-on did not complete. Try again from the sign-in page.");
        }

        try
        {
            await people.PersonForAsync(login, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", settings.Value.TrustUnverifiedEmails);
        }
        catch (AuthServerException exception)
        {
            return Refused(exception is NotFoundException ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict, exception.Message);
        }

        var result = await signIn.ExternalLoginSignInAsync(login.LoginProvider, login.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (!result.Succeeded)
        {
            return Refused(StatusCodes.Status403Forbidden, result.IsLockedOut
                ? "This sign-in is locked for now after too many failed attempts; try again later."
                : "This sign-in cannot be used now; ask an administrator.");
        }

        return LocalRedirect(SignInModel.ConsolePathOr(ReturnUrl, Url));
    }

    private PageResult Refused(int status, string message)
    {
        ModelState.AddModelError("", message);
        Response.StatusCode = status;
        return Page();
    }
}
