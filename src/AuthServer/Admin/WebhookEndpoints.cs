using AuthServer.Data;
using AuthServer.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>An account's webhook endpoints: viewers read them and their delivery logs, administrators change them.</summary>
internal static class WebhookEndpoints
{
    public const string SecretNote = "Store the signing secret now: it is shown only in this response. Verify each delivery's webhook-signature with it.";

    public static void MapWebhookEndpoints(this RouteGroupBuilder admin)
    {
        var webhooks = admin.MapGroup("/accounts/{accountId}/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/", ListAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("ListWebhooks")
            .WithSummary("List the account's webhook endpoints; never their signing secrets (admin:keys:read).");
        webhooks.MapPost("/", CreateAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("CreateWebhook")
            .WithSummary("Register an HTTPS endpoint for event types; the response carries its signing secret, once (admin:keys).");
        webhooks.MapGet("/{webhookId}", GetAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("GetWebhook")
            .WithSummary("Read one webhook endpoint (admin:keys:read).");
        webhooks.MapPatch("/{webhookId}", UpdateAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("UpdateWebhook")
            .WithSummary("Change the URL, event types or description, or disable or enable the endpoint (admin:keys).");
        webhooks.MapDelete("/{webhookId}", DeleteAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("DeleteWebhook")
            .WithSummary("Remove the endpoint and its delivery log (admin:keys).");
        webhooks.MapGet("/{webhookId}/deliveries", DeliveriesAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's delivery log, newest first, with every attempt (admin:keys:read).");
        webhooks.MapPost("/{webhookId}/deliveries/{deliveryId}/redeliver", RedeliverAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again now, once, with the same webhook-id (admin:keys).");
    }

    private static async Task<Ok<IReadOnlyList<WebhookEndpointView>>> ListAsync(string accountId, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ListAsync(accountId, cancellationToken));

    private static async Task<Created<CreatedWebhookResponse>> CreateAsync(
        string accountId, CreateWebhookBody body, AdminCaller caller, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var created = await webhooks.CreateAsync(accountId, new WebhookEndpointRequest(body.Url, body.EventTypes, body.Description), caller.Actor, cancellationToken);
        return TypedResults.Created($"/admin/v1/accounts/{accountId}/webhooks/{created.Endpoint.Id}",
            new CreatedWebhookResponse(created.Endpoint, created.SigningSecret, SecretNote));
    }

    private static async Task<Ok<WebhookEndpointView>> GetAsync(string accountId, string webhookId, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.GetAsync(accountId, webhookId, cancellationToken));

    private static async Task<Ok<WebhookEndpointView>> UpdateAsync(
        string accountId, string webhookId, UpdateWebhookBody body, AdminCaller caller, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.UpdateAsync(accountId, webhookId, new WebhookEndpointChange(body.Url, body.EventTypes, body.Description, body.Enabled), caller.Actor, cancellationToken));

    private static async Task<NoContent> DeleteAsync(string accountId, string webhookId, AdminCaller caller, WebhookService webhooks, CancellationToken cancellationToken)
    {
        await webhooks.DeleteAsync(accountId, webhookId, caller.Actor, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<WebhookDeliveryView>>> DeliveriesAsync(
        string accountId, string webhookId, WebhookService webhooks, CancellationToken cancellationToken, int skip = 0, int take = 50) =>
        TypedResults.Ok(await webhooks.DeliveriesAsync(accountId, webhookId, skip, take, cancellationToken));

    private static async Task<Accepted<WebhookDeliveryView>> RedeliverAsync(
        string accountId, string webhookId, long deliveryId, AdminCaller caller, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Accepted($"/admin/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries",
            await webhooks.RedeliverAsync(accountId, webhookId, deliveryId, caller.Actor, cancellationToken));
}
