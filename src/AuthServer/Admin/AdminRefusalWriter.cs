using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace AuthServer.Admin;

/// <summary>Writes an admin refusal as the problem details <see cref="AdminProblems"/> gives it; anything else as ASP.NET Core does.</summary>
internal sealed class AdminRefusalWriter(IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<AdminRefusal>().FirstOrDefault() is { } refusal)
        {
            await new AdminProblems(problems, json).TryHandleAsync(context, refusal.Answer, context.RequestAborted);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
