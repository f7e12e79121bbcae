using AuthServer.ApiKeys;
using AuthServer.Browser;
using AuthServer.Failures;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>
/// A key's browser mode: its publishable key, allowed origins and signing secret, every change through
/// <see cref="PublishableKeyService"/>. The signing secret is rendered in the response to its POST (no redirect, so
/// never in a URL; every console response is <c>Cache-Control: no-store</c>): a reload shows only when it was set.
/// </summary>
public sealed class BrowserModeModel(ApiKeyQueries queries, PublishableKeyService browser) : AccountPageModel
{
    public const string OriginsField = "Origins";

    [FromRoute]
    public string KeyId { get; set; } = "";

    /// <summary>One origin pattern per line, as typed.</summary>
    [BindProperty]
    public string? Origins { get; set; }

    public ApiKeyView Key { get; private set; } = null!;

    /// <summary>Null while the key has no browser mode.</summary>
    public PublishableKeyView? Browser { get; private set; }

    public string? SigningSecret { get; private set; }

    public string? Done { get; private set; }

    public bool CanChange => IsAdministrator && Key.Status != ApiKeyStatus.Revoked;

    public string? OriginsError => ModelState.TryGetValue(OriginsField, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Origins = string.Join("\n", Browser?.AllowedOrigins ?? []);
        return Page();
    }

    public Task<IActionResult> OnPostOriginsAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var origins = (Origins ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var (view, created) = await browser.SetOriginsAsync(Scope, KeyId, origins, Actor, cancellationToken);
        Done = (created ? $"Browser mode is on: the publishable key is {view.PublishableKey}. " : "")
            + (view.AllowedOrigins.Count == 0 ? "No browser may use the publishable key until you add an origin." : $"Pages from {view.AllowedOrigins.Count} allowed origin(s) may use the publishable key.");
    }, cancellationToken);

    public Task<IActionResult> OnPostRegenerateAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var old = Browser?.PublishableKey;
        var view = await browser.RegenerateAsync(Scope, KeyId, Actor, cancellationToken);
        Done = $"The new publishable key is {view.PublishableKey}; {old} no longer works. Update the pages that use it.";
    }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        await browser.RemoveAsync(Scope, KeyId, Actor, cancellationToken);
        Done = "Browser mode is off: the publishable key and the signing secret are deleted. The key's secret still works.";
    }, cancellationToken);

    public Task<IActionResult> OnPostSigningSecretAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        SigningSecret = (await browser.GenerateSigningSecretAsync(Scope, KeyId, Actor, cancellationToken)).SigningSecret;
    }, cancellationToken);

    /// <summary>Runs the change, then shows the page as it now is (or the refusal next to the form, with nothing changed).</summary>
    private async Task<IActionResult> ChangeAsync(Func<Task> change, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var typed = Origins;
        try
        {
            await change();
        }
        catch (InvalidFieldException exception) when (exception.Field == "allowedOrigins")
        {
            Refused(exception, OriginsField);
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        await LoadAsync(cancellationToken);
        Origins = OriginsError is not null ? typed : string.Join("\n", Browser?.AllowedOrigins ?? []);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Key = await queries.GetAsync(Scope, KeyId, cancellationToken);
        }
        catch (NotFoundException)
        {
            return false;
        }

        try
        {
            Browser = await browser.GetAsync(Scope, KeyId, cancellationToken);
        }
        catch (NotFoundException)
        {
            Browser = null; // the key has no browser mode (yet, or any more)
        }

        return true;
    }
}
