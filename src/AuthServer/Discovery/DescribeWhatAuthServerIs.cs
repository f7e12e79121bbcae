using System.Text.Json;
using AuthServer.Scopes;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Discovery;

/// <summary>
/// OpenIddict writes an OpenID Connect provider's document; AuthServer is an RFC 8414 authorization server for the
/// client credentials grant only. Both well-known paths get the same document: the RFC 8414 (and RFC 7662) members
/// that hold here, the defined scopes, and nothing about ID tokens, claims, subjects or the authorization endpoint.
/// It is written here because OpenIddict leaves out empty lists, and <c>response_types_supported</c> is one.
/// </summary>
public sealed class DescribeWhatAuthServerIs(ScopeCatalog scopes) : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
{
    private static readonly string[] FromOpenIddict =
    [
        "issuer", "token_endpoint", "jwks_uri", "introspection_endpoint", "grant_types_supported",
        "token_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported",
    ];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyConfigurationResponseContext>()
            .UseSingletonHandler<DescribeWhatAuthServerIs>()
            .SetOrder(AllowCaching.ConfigurationDescriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyConfigurationResponseContext context)
    {
        if (context.Response is not { Error: null } response || context.Transaction.GetHttpRequest() is not { } request)
        {
            return;
        }

        var document = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in FromOpenIddict)
        {
            if (response.GetParameter(name) is { } value)
            {
                document[name] = (JsonElement)value;
            }
        }

        // Publishable keys (browser mode) are served before OpenIddict, which knows neither their grant nor that they
        // authenticate with no secret ("none", RFC 8414 §2): both are added to what it lists.
        document["grant_types_supported"] = With(document, "grant_types_supported", Browser.PublishableTokenValidator.TokenExchangeGrant);
        document["token_endpoint_auth_methods_supported"] = With(document, "token_endpoint_auth_methods_supported", "none");

        // RFC 8414 §2 requires the member. There is no authorization endpoint, so no response_type is supported:
        // the accurate value is the empty list, which also tells clients not to try an authorization flow.
        document["response_types_supported"] = Array.Empty<string>();

        // RECOMMENDED; left out, rather than failing discovery, while the database cannot be read.
        if (await scopes.NamesAsync(context.CancellationToken) is { } names)
        {
            document["scopes_supported"] = names;
        }

        var http = request.HttpContext.Response;
        http.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(http.Body, document, cancellationToken: context.CancellationToken);
        context.HandleRequest();
    }

    private static string[] With(Dictionary<string, object?> document, string member, string value)
    {
        var listed = document.TryGetValue(member, out var existing) && existing is JsonElement { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(item => item.GetString()!).ToList()
            : [];
        if (!listed.Contains(value))
        {
            listed.Add(value);
        }

        return [.. listed];
    }
}
