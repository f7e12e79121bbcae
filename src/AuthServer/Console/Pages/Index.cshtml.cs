using AuthServer.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console.Pages;

/// <summary>Picks the account: straight to its keys when the person has one, a list when several (operators: every account).</summary>
public sealed class IndexModel(MembershipService memberships, OperatorService operators, Accounts.AccountService accounts, ConsoleActor actor) : PageModel
{
    public IReadOnlyList<AccountMembership> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var userId = actor.UserId(User);
        Accounts = await operators.IsOperatorAsync(userId)
            ? (await accounts.ListAsync(cancellationToken)).Select(a => new AccountMembership(a.Id, a.Name, MemberRole.Administrator)).ToList()
            : await memberships.AccountsOfAsync(userId, cancellationToken);
        return Accounts.Count == 1 ? RedirectToPage("/Keys", new { accountId = Accounts[0].AccountId }) : Page();
    }
}
