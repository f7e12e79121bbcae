using AuthServer.Events;
using AuthServer.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>The account's webhook endpoints; administrators add them (the signing secret shown once), disable, enable and remove them.</summary>
public sealed class WebhooksModel(WebhookService webhooks) : AccountPageModel
{
    /// <summary>The choices offered: every event, a family, then each type.</summary>
    public static readonly IReadOnlyList<string> Choices = [WebhookEventTypes.Every, "key.*", "member.*", .. LifecycleEventTypes.All.Order(StringComparer.Ordinal)];

    public IReadOnlyList<WebhookEndpointView> Endpoints { get; private set; } = [];

    /// <summary>An endpoint just added: its signing secret is shown in this response only.</summary>
    public CreatedWebhookEndpoint? Added { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostAsync(string? url, List<string>? eventTypes, string? description, CancellationToken cancellationToken) =>
        ActAsync(async () => Added = await webhooks.CreateAsync(AccountId, new WebhookEndpointRequest(url, eventTypes, string.IsNullOrWhiteSpace(description) ? null : description), Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnabledAsync(string webhookId, bool enabled, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            await webhooks.UpdateAsync(AccountId, webhookId, new WebhookEndpointChange(null, null, null, enabled), Actor, cancellationToken);
            Done = enabled ? "Enabled: new events are delivered again." : "Disabled: no events are queued for it until it is enabled.";
        }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(string webhookId, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            await webhooks.DeleteAsync(AccountId, webhookId, Actor, cancellationToken);
            Done = "Removed, with its delivery log.";
        }, cancellationToken);

    private Task<IActionResult> ActAsync(Func<Task> action, CancellationToken cancellationToken) =>
        ChangeThenShowAsync(action, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken) => Endpoints = await webhooks.ListAsync(AccountId, cancellationToken);
}
