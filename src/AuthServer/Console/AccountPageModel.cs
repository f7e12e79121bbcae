using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Failures;
using AuthServer.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Console;

/// <summary>
/// A console page about one account (<c>/console/accounts/{accountId}/…</c>). <see cref="ConsoleAccessFilter"/> has
/// checked the person's membership before a handler runs and filled in <see cref="Account"/> and <see cref="Role"/>.
/// </summary>
public abstract class AccountPageModel : PageModel
{
    [FromRoute]
    public string AccountId { get; set; } = "";

    /// <summary>What the services may see and change for this page: this account's things only.</summary>
    public AccountScope Scope => AccountScope.Only(AccountId);

    public AccountView Account { get; set; } = null!;

    public MemberRole Role { get; set; }

    public Actor Actor { get; set; } = null!;

    public bool IsAdministrator => Role == MemberRole.Administrator;

    /// <summary>Why this person cannot create a key now, in words for them; null when they can.</summary>
    public string? CannotCreateKeyBecause =>
        !IsAdministrator ? "Only administrators can create keys; ask an administrator of this account."
        : Account.ActiveKeys >= Account.KeyLimit && Account.ActiveTestKeys >= Account.KeyLimit
            ? $"This account has {Account.ActiveKeys} active live keys and {Account.ActiveTestKeys} active test keys, its limit of {Account.KeyLimit} for each. Revoke a key, or ask an AuthServer operator to raise the limit."
        : null;

    /// <summary>Makes a change, shows a refusal with its reason (<see cref="Refused"/>), then loads the page afresh and shows it.</summary>
    protected async Task<IActionResult> ChangeThenShowAsync(Func<Task> change, Func<Task> load)
    {
        try
        {
            await change();
        }
        catch (AuthServerException exception)
        {
            ModelState.Clear();
            Refused(exception, "");
        }

        await load();
        return Page();
    }

    /// <summary>Shows a refused request as the page with the reason, with the status the admin API would answer.</summary>
    protected void Refused(AuthServerException exception, string field = "")
    {
        ModelState.AddModelError(exception is InvalidFieldException invalid && field.Length == 0 ? invalid.Field : field, exception.Message);
        Response.StatusCode = ConsoleRefusal.StatusOf(exception);
    }
}
