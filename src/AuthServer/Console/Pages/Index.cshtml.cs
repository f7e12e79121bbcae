using AuthServer.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console.Pages;

/// <summary>Picks the account: straight to its keys when the person has one, a list when several.</summary>
public sealed class IndexModel(MembershipService memberships, ConsoleActor actor) : PageModel
{
    public IReadOnlyList<AccountMembership> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Accounts = await memberships.AccountsOfAsync(actor.UserId(User), cancellationToken);
        return Accounts.Count == 1 ? RedirectToPage("/Keys", new { accountId = Accounts[0].AccountId }) : Page();
    }
}
