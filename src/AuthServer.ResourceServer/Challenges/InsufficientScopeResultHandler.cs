using AuthServer.ResourceServer.Scopes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Properties = OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreConstants.Properties;

namespace AuthServer.ResourceServer.Challenges;

/// <summary>
/// A valid token that lacks a required scope gets RFC 6750's answer: 403 with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c> naming the scopes needed.
/// and a problem body that says so. Every other outcome is the framework's.
/// </summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().SelectMany(r => r.Scopes).Distinct().ToList()
            : null;
        if (missing is not { Count: > 0 })
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var scope = string.Join(' ', missing);
        var description = $"The access token was not granted the scope this request needs: {scope}.";
        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [Properties.Error] = Errors.InsufficientScope,
            [Properties.ErrorDescription] = description,
            [Properties.Scope] = scope,
            [Properties.ErrorUri] = "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
        });
        await context.ForbidAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, properties);

        // The challenge header is for clients that read RFC 6750; the body says the same to a person reading it.
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Insufficient scope",
            detail: description,
            extensions: new Dictionary<string, object?> { ["error"] = Errors.InsufficientScope, ["scope"] = scope }).ExecuteAsync(context);
    }
}
