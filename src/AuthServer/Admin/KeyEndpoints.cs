using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Limits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Admin;

/// <summary>Keys of one account: viewers read them, administrators also change them, operators do both for any account.</summary>
internal static class KeyEndpoints
{
    public const string SecretNote = "Store the secret now: it is shown only in this response.";

    public static void MapKeyEndpoints(this RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/accounts/{accountId}/keys").WithTags("Keys");
        keys.MapGet("/", ListAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("ListKeys")
            .WithSummary("List the account's keys, newest first, optionally of one status and/or environment (admin:keys:read).");
        keys.MapPost("/", CreateAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("CreateKey")
            .WithSummary("Create a key; the response carries its secret, once (admin:keys). Honours Idempotency-Key.");
        keys.MapGet("/{keyId}", GetAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("GetKey")
            .WithSummary("Read one key (admin:keys:read).");
        keys.MapPatch("/{keyId}", UpdateAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("UpdateKey")
            .WithSummary("Rename the key, move its expiry later and/or allow or forbid its direct use at resource servers; scopes and secret never change (admin:keys).");
        keys.MapPut("/{keyId}/limits", SetLimitsAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("SetKeyLimits")
            .WithSummary("Replace the key's limits: tokensPerMinute (null: the server's) and allowedAddresses (CIDR blocks; empty: any address) (admin:keys).");
        keys.MapPost("/{keyId}/revoke", RevokeAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("RevokeKey")
            .WithSummary("Revoke the key at once, irreversibly (admin:keys).");
        keys.MapPost("/{keyId}/roll", RollAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("RollKey")
            .WithSummary("Give the key a new secret, shown once; the current secret keeps working for graceHours (default 24, at most 168, 0: stops now) (admin:keys).");
        keys.MapPost("/{keyId}/roll/end", EndGraceAsync).RequireAdmin(AdminAccess.ManageAccount).WithName("EndKeyRollGrace")
            .WithSummary("End the grace of the secret the last roll replaced: it stops working now (admin:keys).");
    }

    private static async Task<Ok<Page<ApiKeyView>>> ListAsync(
        string accountId, ApiKeyQueries queries, CancellationToken cancellationToken,
        string? status = null, string? environment = null, int skip = 0, int take = 50)
    {
        return TypedResults.Ok(await queries.ListAsync(
            AccountScope.Only(accountId), ParseStatus(status), skip, take, cancellationToken, KeyEnvironments.ParseField("environment", environment)));
    }

    private static ApiKeyStatus? ParseStatus(string? status) =>
        status is null ? null
        : Enum.TryParse<ApiKeyStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new InvalidFieldException("status", "status is one of active, expired, revoked.");

    private static async Task<Results<Created<CreatedKeyResponse>, Ok<CreatedKeyResponse>>> CreateAsync(
        string accountId,
        CreateKeyBody body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        AdminCaller caller,
        ApiKeyCreator creator,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (body.Scopes?.Contains(AdminScopes.Operator) == true)
        {
            caller.RequireOperator();
        }

        var created = await creator.CreateAsync(
            new CreateApiKeyRequest(accountId, body.Name, body.Scopes ?? [], body.ExpiresAt, KeyEnvironments.ParseField("environment", body.Environment), body.DirectUse ?? true,
                body.TokensPerMinute, body.AllowedAddresses),
            caller.Actor, cancellationToken, idempotencyKey);
        if (created.Replayed)
        {
            response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(new CreatedKeyResponse(created.Key, null, Replayed: true, ReplayNote(created.Key)));
        }

        return TypedResults.Created($"/admin/v1/accounts/{accountId}/keys/{created.Key.KeyId}",
            new CreatedKeyResponse(created.Key, created.Secret, Replayed: false, SecretNote));
    }

    /// <summary>
    /// The first response may never have arrived (a crash after the commit): then the key exists, counts against the
    /// limit and can never be used, since its secret is not stored. The note says what to do.
    /// </summary>
    private static string ReplayNote(ApiKeyView key) =>
        "This repeats an earlier request with the same Idempotency-Key: the same key is returned, and its secret is not shown again. " +
        $"If you never received the secret, it cannot be recovered: revoke this key (POST /admin/v1/accounts/{key.AccountId}/keys/{key.KeyId}/revoke) and create a new one.";

    private static async Task<Ok<ApiKeyView>> GetAsync(
        string accountId, string keyId, ApiKeyQueries queries, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await queries.GetAsync(AccountScope.Only(accountId), keyId, cancellationToken));
    }

    private static async Task<Ok<ApiKeyView>> UpdateAsync(
        string accountId, string keyId, UpdateKeyBody body, AdminCaller caller, ApiKeyLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (body.Scopes is not null)
        {
            throw new InvalidFieldException("scopes",
                "A key's scopes are fixed at creation. Create a new key with the scopes you need, switch to it, then revoke this one.");
        }

        if (body.Secret is not null)
        {
            throw new InvalidFieldException("secret", $"A key's secret is not set here: roll it (POST /admin/v1/accounts/{accountId}/keys/{keyId}/roll).");
        }

        return TypedResults.Ok(await lifecycle.UpdateAsync(AccountScope.Only(accountId), keyId, body.Name, body.ExpiresAt, body.DirectUse, caller.Actor, cancellationToken));
    }

    private static async Task<Ok<ApiKeyView>> SetLimitsAsync(
        string accountId, string keyId, SetKeyLimitsBody body, AdminCaller caller, KeyLimitsService limits, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await limits.SetAsync(AccountScope.Only(accountId), keyId, body.TokensPerMinute, body.AllowedAddresses, caller.Actor, cancellationToken));
    }

    private static async Task<Ok<ApiKeyView>> RevokeAsync(
        string accountId, string keyId, AdminCaller caller, ApiKeyLifecycle lifecycle, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await lifecycle.RevokeAsync(AccountScope.Only(accountId), keyId, caller.Actor, cancellationToken));
    }

    private static async Task<Created<RolledKeyResponse>> RollAsync(
        string accountId,
        string keyId,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RollKeyBody? body,
        AdminCaller caller,
        KeySecretRoller roller,
        CancellationToken cancellationToken)
    {
        var grace = body?.GraceHours is { } hours ? TimeSpan.FromHours(hours) : (TimeSpan?)null;
        var rolled = await roller.RollAsync(AccountScope.Only(accountId), keyId, grace, caller.Actor, cancellationToken);
        return TypedResults.Created($"/admin/v1/accounts/{accountId}/keys/{keyId}", new RolledKeyResponse(rolled.Key, rolled.Secret, SecretNote));
    }

    private static async Task<Ok<ApiKeyView>> EndGraceAsync(
        string accountId, string keyId, AdminCaller caller, KeySecretRoller roller, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await roller.EndGraceAsync(AccountScope.Only(accountId), keyId, caller.Actor, cancellationToken));
    }
}
