using AuthServer.ApiKeys;
using AuthServer.Failures;
using AuthServer.Scopes;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>
/// Adding a key. The secret is rendered in the response to the POST itself (no redirect, so it is never in a URL),
/// which like every console response is <c>Cache-Control: no-store</c>: a reload or a later visit shows only its hint.
/// </summary>
public sealed class NewKeyModel(ApiKeyCreator creator, ScopeService scopes) : AccountPageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    [BindProperty]
    public DateTime? ExpiresOn { get; set; }

    /// <summary>Ticked by default; a form without the field (never this page's own) keeps the default too.</summary>
    [BindProperty]
    public bool DirectUse { get; set; } = true;

    /// <summary>The key's own limit (<see cref="Limits.KeyLimitsRule"/>); empty: the server's.</summary>
    [BindProperty]
    public int? TokensPerMinute { get; set; }

    /// <summary>One CIDR block or address per line; empty: any address.</summary>
    [BindProperty]
    public string? AllowedAddresses { get; set; }

    /// <summary>test or live; live is checked when the form first shows.</summary>
    [BindProperty]
    public string? Environment { get; set; } = "live";

    /// <summary>
    /// One per form shown: a reload that posts the form again gets the same key back, without its secret (the
    /// creator's idempotency), instead of a second key.
    /// </summary>
    [BindProperty]
    public string? FormId { get; set; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<ScopeView> Catalogue { get; private set; } = [];

    public CreatedApiKey? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Catalogue = await scopes.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (ModelState.GetFieldValidationState(nameof(TokensPerMinute)) == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
            {
                throw new InvalidFieldException(Limits.KeyLimitsRule.RateField,
                    $"Enter the tokens per minute as a whole number from 1 to {Limits.KeyLimitsRule.MaxTokensPerMinute}, or leave it empty.");
            }

            if (!ModelState.IsValid)
            {
                throw new InvalidFieldException("expiresOn", "Enter the expiry as a date, e.g. 2030-12-31, or leave it empty.");
            }

            var expiresAt = ExpiresOn is { } day ? DateTime.SpecifyKind(day.Date.AddDays(1), DateTimeKind.Utc) : (DateTime?)null; // the end of that day, UTC
            var environment = KeyEnvironments.ParseField("environment", Environment);
            var addresses = (AllowedAddresses ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Created = await creator.CreateAsync(
                new CreateApiKeyRequest(AccountId, Name, Scopes, expiresAt, environment, DirectUse, TokensPerMinute, addresses.Length > 0 ? addresses : null),
                Actor, cancellationToken,
                idempotencyKey: string.IsNullOrEmpty(FormId) ? null : "console:" + FormId);
        }
        catch (AuthServerException exception)
        {
            ModelState.Clear();
            Refused(exception, "");
            Catalogue = await scopes.ListAsync(cancellationToken);
        }

        return Page();
    }
}
