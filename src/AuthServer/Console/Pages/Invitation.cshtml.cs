using AuthServer.Accounts;
using AuthServer.Failures;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console.Pages;

/// <summary>Accepting an invitation: the link's token opens it once; the person sets a password (or gives theirs) and is signed in.</summary>
public sealed class InvitationModel(InvitationService invitations, AccountService accounts, SignInManager<ConsoleUser> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public InvitationView? Invitation { get; private set; }

    public string AccountName { get; private set; } = "an account";

    public bool ExistingUser { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        try
        {
            var user = await invitations.AcceptAsync(Token, DisplayName, Password, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", cancellationToken);
            await signIn.SignInAsync(user, isPersistent: false);
            return RedirectToPage("/Keys", new { accountId = Invitation!.AccountId });
        }
        catch (AuthServerException exception)
        {
            ModelState.AddModelError("", exception.Message);
            Response.StatusCode = ConsoleRefusal.StatusOf(exception);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Invitation = await invitations.FindOpenAsync(Token, cancellationToken);
            AccountName = (await accounts.GetAsync(Invitation.AccountId, cancellationToken)).Name;
            ExistingUser = await invitations.IsForExistingUserAsync(Invitation);
            return true;
        }
        catch (NotFoundException exception)
        {
            ModelState.AddModelError("", exception.Message);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
    }
}
