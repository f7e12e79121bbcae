using Microsoft.AspNetCore.Authorization;

namespace AuthServer.Admin;

/// <summary>Who may call an admin endpoint. Each endpoint declares one where it is mapped (<see cref="AdminAccessPolicies.RequireAdmin"/>).</summary>
public enum AdminAccess
{
    /// <summary>Any admin scope.</summary>
    AnyAdmin,

    /// <summary><see cref="AdminScopes.Operator"/> only.</summary>
    Operator,

    /// <summary>A viewer of the <c>{accountId}</c> in the route, or an operator.</summary>
    ReadAccount,

    /// <summary>An administrator of the <c>{accountId}</c> in the route, or an operator.</summary>
    ManageAccount,
}

/// <summary>
/// One authorization policy per <see cref="AdminAccess"/>. Authorization runs before the endpoint binds its body,
/// so a caller who may not call an endpoint is refused the same way whatever it sent.
/// </summary>
public static class AdminAccessPolicies
{
    public static string NameOf(AdminAccess access) => access switch
    {
        AdminAccess.AnyAdmin => "admin:any",
        AdminAccess.Operator => "admin:operator",
        AdminAccess.ReadAccount => "admin:account:read",
        _ => "admin:account:manage",
    };

    public static void AddTo(AuthorizationOptions options)
    {
        foreach (var access in Enum.GetValues<AdminAccess>())
        {
            options.AddPolicy(NameOf(access), policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminAccessRequirement(access)));
        }
    }

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder, AdminAccess access) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(NameOf(access));
}

public sealed record AdminAccessRequirement(AdminAccess Access) : IAuthorizationRequirement;

/// <summary>Why an authenticated caller was refused: the same answer a handler would have given (403 or 404).</summary>
public sealed class AdminRefusal(IAuthorizationHandler handler, Failures.AuthServerException answer)
    : AuthorizationFailureReason(handler, answer.Message)
{
    public Failures.AuthServerException Answer { get; } = answer;
}

/// <summary>
/// Decides from the caller's token and the route; for a route that names an account, that account must also exist,
/// so that every account-scoped endpoint answers an unknown account with 404, whoever asks.
/// </summary>
internal sealed class AdminAccessHandler : AuthorizationHandler<AdminAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var accountId = http.GetRouteValue("accountId") as string;
        var refusal = AdminCaller.From(context.User, http).RefusalFor(requirement.Access, accountId);
        if (refusal is null && accountId is not null)
        {
            try
            {
                await http.RequestServices.GetRequiredService<Accounts.AccountService>().RequireAsync(accountId, http.RequestAborted);
            }
            catch (Failures.NotFoundException notFound)
            {
                refusal = notFound;
            }
        }

        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AdminRefusal(this, refusal));
        }
    }
}
