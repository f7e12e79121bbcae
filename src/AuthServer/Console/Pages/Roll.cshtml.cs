using AuthServer.ApiKeys;
using AuthServer.Failures;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>Rolling a key's secret: the grace is chosen from a short list, the new secret is shown once, and a running grace can be ended.</summary>
public sealed class RollModel(ApiKeyQueries queries, KeySecretRoller roller) : AccountPageModel
{
    /// <summary>The graces offered, in hours; 24 is the default, 168 (7 days) the most.</summary>
    public static readonly int[] GraceHours = [0, 1, 24, 72, 168];

    [FromRoute]
    public string KeyId { get; set; } = "";

    [BindProperty]
    public int Grace { get; set; } = 24;

    public ApiKeyView? Key { get; private set; }

    /// <summary>Set once, right after a roll: the only time the new secret is shown.</summary>
    public string? NewSecret { get; private set; }

    public bool GraceEnded { get; private set; }

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
            var rolled = await roller.RollAsync(Scope, KeyId, TimeSpan.FromHours(Grace), Actor, cancellationToken);
            Key = rolled.Key;
            NewSecret = rolled.Secret;
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEndGraceAsync(CancellationToken cancellationToken)
    {
        if (await OnGetAsync(cancellationToken) is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult)
        {
            return NotFound();
        }

        try
        {
            Key = await roller.EndGraceAsync(Scope, KeyId, Actor, cancellationToken);
            GraceEnded = true;
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        return Page();
    }
}
