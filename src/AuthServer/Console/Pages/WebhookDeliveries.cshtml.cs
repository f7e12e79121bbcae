using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>One endpoint's delivery log, newest first, with every attempt; administrators send a delivery again.</summary>
public sealed class WebhookDeliveriesModel(WebhookService webhooks) : AccountPageModel
{
    [FromRoute]
    public string WebhookId { get; set; } = "";

    public WebhookEndpointView? Endpoint { get; private set; }

    public Page<WebhookDeliveryView>? Deliveries { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRedeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await webhooks.RedeliverAsync(AccountId, WebhookId, deliveryId, Actor, cancellationToken);
            Done = $"{sent.EventType} ({sent.EventId}) will be sent again within a second.";
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (AuthServerException exception)
        {
            Refused(exception, "");
        }

        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Endpoint = await webhooks.GetAsync(AccountId, WebhookId, cancellationToken);
            Deliveries = await webhooks.DeliveriesAsync(AccountId, WebhookId, 0, 100, cancellationToken);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }
}
