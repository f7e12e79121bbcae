using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Makes OpenIddict's answers match the fast paths': a token response always names the granted scopes (OpenIddict
/// leaves <c>scope</c> out when it equals the request's), and introspection answers are never cached.
/// </summary>
public sealed class ResponseConsistency :
    IOpenIddictServerHandler<ProcessSignInContext>,
    IOpenIddictServerHandler<ApplyIntrospectionResponseContext>
{
    public static OpenIddictServerHandlerDescriptor SignInDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<ResponseConsistency>()
            .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor IntrospectionDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyIntrospectionResponseContext>()
            .UseSingletonHandler<ResponseConsistency>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Response.Scope is null &&
            context.AccessTokenPrincipal?.GetScopes() is { IsEmpty: false } scopes)
        {
            context.Response.Scope = string.Join(' ', scopes);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ApplyIntrospectionResponseContext context)
    {
        if (context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
        {
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
        }

        return ValueTask.CompletedTask;
    }
}
