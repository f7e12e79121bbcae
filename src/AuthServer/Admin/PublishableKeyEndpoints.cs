using AuthServer.Accounts;
using AuthServer.Browser;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>A key's browser mode: viewers read it, administrators change it (README "Browser mode").</summary>
internal static class PublishableKeyEndpoints
{
    public static void MapPublishableKeyEndpoints(this RouteGroupBuilder admin)
    {
        var key = admin.MapGroup("/accounts/{accountId}/keys/{keyId}").WithTags("Browser mode");
        key.MapGet("/publishable", GetAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("GetPublishableKey")
            .WithSummary("Read the key's publishable key and allowed origins; never its signing secret (admin:keys:read).");
        key.MapPut("/publishable", SetOriginsAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("SetAllowedOrigins")
            .WithSummary("Set the origins the key's publishable key may be used from, giving the key one if it has none (admin:keys).");
        key.MapPost("/publishable/regenerate", RegenerateAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("RegeneratePublishableKey")
            .WithSummary("Replace the publishable key; the old one stops working at once (admin:keys).");
        key.MapDelete("/publishable", RemoveAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("RemovePublishableKey")
            .WithSummary("End the key's browser mode: its publishable key and signing secret are deleted (admin:keys).");
        key.MapPost("/signing-secret", GenerateSigningSecretAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("GenerateSigningSecret")
            .WithSummary("Generate the key's signing secret for identity tokens, replacing any earlier one; the response carries it, once (admin:keys).");
    }

    private static async Task<Ok<PublishableKeyView>> GetAsync(
        string accountId, string keyId, PublishableKeyService service, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await service.GetAsync(AccountScope.Only(accountId), keyId, cancellationToken));
    }

    private static async Task<Results<Created<PublishableKeyView>, Ok<PublishableKeyView>>> SetOriginsAsync(
        string accountId, string keyId, SetAllowedOriginsBody body, AdminCaller caller, PublishableKeyService service, CancellationToken cancellationToken)
    {
        var (view, created) = await service.SetOriginsAsync(AccountScope.Only(accountId), keyId, body.AllowedOrigins, caller.Actor, cancellationToken);
        return created
            ? TypedResults.Created($"/admin/v1/accounts/{accountId}/keys/{keyId}/publishable", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Ok<PublishableKeyView>> RegenerateAsync(
        string accountId, string keyId, AdminCaller caller, PublishableKeyService service, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await service.RegenerateAsync(AccountScope.Only(accountId), keyId, caller.Actor, cancellationToken));
    }

    private static async Task<NoContent> RemoveAsync(
        string accountId, string keyId, AdminCaller caller, PublishableKeyService service, CancellationToken cancellationToken)
    {
        await service.RemoveAsync(AccountScope.Only(accountId), keyId, caller.Actor, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Created<SigningSecretResponse>> GenerateSigningSecretAsync(
        string accountId, string keyId, AdminCaller caller, PublishableKeyService service, CancellationToken cancellationToken)
    {
        var generated = await service.GenerateSigningSecretAsync(AccountScope.Only(accountId), keyId, caller.Actor, cancellationToken);
        return TypedResults.Created($"/admin/v1/accounts/{accountId}/keys/{keyId}/publishable",
            new SigningSecretResponse(generated.PublishableKey, generated.SigningSecret, PublishableKeyService.SigningSecretNote));
    }
}
