using AuthServer.ApiKeys;
using AuthServer.Failures;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>Revoking asks the person to type the key's name, so that the wrong key is not revoked by a slip.</summary>
public sealed class RevokeModel(ApiKeyQueries queries, ApiKeyLifecycle lifecycle) : AccountPageModel
{
    [FromRoute]
    public string KeyId { get; set; } = "";

    [BindProperty]
    public string? ConfirmName { get; set; }

    public ApiKeyView? Key { get; private set; }

    public bool Revoked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Key = await queries.GetAsync(Scope, KeyId, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await OnGetAsync(cancellationToken) is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult)
        {
            return NotFound();
        }

        try
        {
            if (!string.Equals(ConfirmName?.Trim(), Key!.Name, StringComparison.Ordinal))
            {
                throw new InvalidFieldException("confirmName", $"Type the key's name, \u201c{Key.Name}\u201d, exactly, to revoke it.");
            }

            Key = await lifecycle.RevokeAsync(Scope, KeyId, Actor, cancellationToken);
            Revoked = true;
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        return Page();
    }
}
