using AuthServer.ApiKeys;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>The account's keys, one page per query, with rename, refresh and direct use; revoking has its own confirmation page.</summary>
public sealed class KeysModel(ApiKeyQueries queries, ApiKeyLifecycle lifecycle, TimeProvider time) : AccountPageModel
{
    public const int PageSize = 25;
    public static readonly int[] RefreshDays = [30, 90, 365];

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Environment { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<ApiKeyView> Keys { get; private set; } = new([], 0, PageSize, false);

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(string keyId, string? name, CancellationToken cancellationToken)
    {
        try
        {
            var key = await lifecycle.RenameAsync(Scope, keyId, name ?? "", Actor, cancellationToken);
            Done = $"Renamed the key to \u201c{key.Name}\u201d.";
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDirectUseAsync(string keyId, bool allow, CancellationToken cancellationToken)
    {
        try
        {
            var key = await lifecycle.SetDirectUseAsync(Scope, keyId, allow, Actor, cancellationToken);
            Done = key.DirectUse
                ? $"APIs that accept API keys may now take the secret of \u201c{key.Name}\u201d itself."
                : $"APIs now refuse the secret of \u201c{key.Name}\u201d itself; it still gets access tokens.";
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRefreshAsync(string keyId, int days, CancellationToken cancellationToken)
    {
        try
        {
            if (!RefreshDays.Contains(days))
            {
                throw new InvalidFieldException("days", "Choose how long to extend the key: 30, 90 or 365 days.");
            }

            var current = await queries.GetAsync(Scope, keyId, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var from = current.ExpiresAt is { } expiry && expiry > now ? expiry : now;
            var key = await lifecycle.ExtendAsync(Scope, keyId, from.AddDays(days), Actor, cancellationToken);
            Done = $"\u201c{key.Name}\u201d now expires {key.ExpiresAt:yyyy-MM-dd HH:mm} UTC; its secret is unchanged.";
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ApiKeyStatus? status = Status switch
        {
            "active" => ApiKeyStatus.Active,
            "expired" => ApiKeyStatus.Expired,
            "revoked" => ApiKeyStatus.Revoked,
            _ => null,
        };
        Status = status?.ToString().ToLowerInvariant();
        KeyEnvironment? environment = KeyEnvironments.TryParse(Environment, out var parsed) ? parsed : null;
        Environment = environment?.Name();
        PageNumber = Math.Clamp(PageNumber, 1, int.MaxValue / PageSize);
        Keys = await queries.ListAsync(Scope, status, (PageNumber - 1) * PageSize, PageSize, cancellationToken, environment);
    }
}
