using AuthServer.Clients;
using AuthServer.Secrets;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// OpenIddict logs each request it extracts, with client_secret redacted but every other parameter in
/// clear. A secret sent in another parameter (say, key ID and secret swapped) is refused before that log
/// line is written, so secrets never reach the logs.
/// </summary>
public sealed class RejectMisplacedSecrets :
    IOpenIddictServerHandler<ExtractTokenRequestContext>,
    IOpenIddictServerHandler<ExtractIntrospectionRequestContext>
{
    public const string Description =
        "A parameter other than client_secret contains what looks like an AuthServer secret; send the secret only as client_secret or in the Authorization header.";

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractTokenRequestContext>()
            .UseSingletonHandler<RejectMisplacedSecrets>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractAccessToken<ExtractTokenRequestContext>.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor IntrospectionDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractIntrospectionRequestContext>()
            .UseSingletonHandler<RejectMisplacedSecrets>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractAccessToken<ExtractIntrospectionRequestContext>.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ExtractTokenRequestContext context) => Check(context);

    public ValueTask HandleAsync(ExtractIntrospectionRequestContext context) => Check(context);

    private static ValueTask Check(BaseValidatingContext context)
    {
        if (context.Transaction.Request is not { } request)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var (name, value) in request.GetParameters())
        {
            if (name != Parameters.ClientSecret && value.ToString()?.Contains(ClientSecret.Prefix, StringComparison.Ordinal) == true)
            {
                context.Reject(Errors.InvalidRequest, Description);
                break;
            }
        }

        return ValueTask.CompletedTask;
    }
}
