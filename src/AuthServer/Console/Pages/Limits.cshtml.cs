using AuthServer.ApiKeys;
using AuthServer.Failures;
using AuthServer.Limits;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>A key's limits: tokens per minute (empty: the server's) and allowed addresses, one CIDR block per line (none: any address).</summary>
public sealed class LimitsModel(ApiKeyQueries queries, KeyLimitsService limits) : AccountPageModel
{
    [FromRoute]
    public string KeyId { get; set; } = "";

    [BindProperty]
    public int? TokensPerMinute { get; set; }

    [BindProperty]
    public string? AllowedAddresses { get; set; }

    public ApiKeyView? Key { get; private set; }

    public bool Saved { get; private set; }

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

        TokensPerMinute = Key.TokensPerMinute;
        AllowedAddresses = string.Join("\n", Key.AllowedAddresses ?? []);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var entered = (TokensPerMinute, AllowedAddresses);
        if (await OnGetAsync(cancellationToken) is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult)
        {
            return NotFound();
        }

        (TokensPerMinute, AllowedAddresses) = entered;
        try
        {
            if (!ModelState.IsValid)
            {
                throw new InvalidFieldException(KeyLimitsRule.RateField,
                    $"Enter the tokens per minute as a whole number from 1 to {KeyLimitsRule.MaxTokensPerMinute}, or leave it empty.");
            }

            var lines = (AllowedAddresses ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Key = await limits.SetAsync(Scope, KeyId, TokensPerMinute, lines, Actor, cancellationToken);
            TokensPerMinute = Key.TokensPerMinute;
            AllowedAddresses = string.Join("\n", Key.AllowedAddresses ?? []);
            Saved = true;
        }
        catch (AuthServerException exception)
        {
            ModelState.Clear();
            Refused(exception, "");
        }

        return Page();
    }
}
