using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Events;
using AuthServer.Failures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

/// <summary>Accounts (operators) and each account's audit log and lifecycle events (its viewers and administrators too).</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this RouteGroupBuilder admin)
    {
        var accounts = admin.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapPost("/", CreateAsync).RequireAdmin(AdminAccess.Operator).WithName("CreateAccount").WithSummary("Create an account (admin:operator).");
        accounts.MapGet("/", ListAsync).RequireAdmin(AdminAccess.Operator).WithName("ListAccounts").WithSummary("List accounts (admin:operator).");
        accounts.MapGet("/{accountId}", GetAsync).RequireAdmin(AdminAccess.ReadAccount).WithName("GetAccount")
            .WithSummary("Read an account: its key limit and active keys (admin:keys:read for one's own account).");
        accounts.MapPut("/{accountId}/key-limit", SetKeyLimitAsync).RequireAdmin(AdminAccess.Operator).WithName("SetKeyLimit")
            .WithSummary("Set the account's active-key limit; null returns to the default (admin:operator).");

        admin.MapGet("/accounts/{accountId}/audit", AccountAuditAsync).RequireAdmin(AdminAccess.ReadAccount).WithTags("Audit").WithName("ListAccountAudit")
            .WithSummary("The account's audit log, newest first (admin:keys:read for one's own account).");
        admin.MapGet("/accounts/{accountId}/events", AccountEventsAsync).RequireAdmin(AdminAccess.ReadAccount).WithTags("Events").WithName("ListAccountEvents")
            .WithSummary("The account's key and member lifecycle events, newest first (admin:keys:read for one's own account).");
        admin.MapGet("/audit", AllAuditAsync).RequireAdmin(AdminAccess.Operator).WithTags("Audit").WithName("ListAudit")
            .WithSummary("The whole audit log, newest first (admin:operator).");
    }

    private static async Task<Created<AccountView>> CreateAsync(
        CreateAccountBody body, AdminCaller caller, AccountService accounts, CancellationToken cancellationToken)
    {
        var account = await accounts.CreateAsync(body.Name ?? throw new InvalidFieldException("name", "An account needs a name."),
            body.KeyLimit, caller.Actor, cancellationToken);
        return TypedResults.Created($"/admin/v1/accounts/{account.Id}", account);
    }

    private static async Task<Ok<IReadOnlyList<AccountView>>> ListAsync(AccountService accounts, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await accounts.ListAsync(cancellationToken));
    }

    private static async Task<Ok<AccountView>> GetAsync(string accountId, AccountService accounts, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await accounts.GetAsync(accountId, cancellationToken));
    }

    private static async Task<Ok<AccountView>> SetKeyLimitAsync(
        string accountId, SetKeyLimitBody body, AdminCaller caller, AccountService accounts, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await accounts.SetKeyLimitAsync(accountId, body.KeyLimit, caller.Actor, cancellationToken));
    }

    private static async Task<Ok<Page<AuditEntryView>>> AccountAuditAsync(
        string accountId, AuditQueries audit, CancellationToken cancellationToken, int skip = 0, int take = 50)
    {
        return TypedResults.Ok(await audit.ListAsync(AccountScope.Only(accountId), skip, take, cancellationToken));
    }

    private static async Task<Ok<Page<LifecycleEventView>>> AccountEventsAsync(
        string accountId, LifecycleEventQueries events, CancellationToken cancellationToken, int skip = 0, int take = 50)
    {
        return TypedResults.Ok(await events.ListAsync(AccountScope.Only(accountId), skip, take, cancellationToken));
    }

    private static async Task<Ok<Page<AuditEntryView>>> AllAuditAsync(
        AuditQueries audit, CancellationToken cancellationToken, int skip = 0, int take = 50)
    {
        return TypedResults.Ok(await audit.ListAsync(AccountScope.Every, skip, take, cancellationToken));
    }
}
