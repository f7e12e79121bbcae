using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace AuthServer.Tokens;

/// <summary>
/// The <c>iss</c> of the tokens a request gets: <c>Tokens:Issuer</c> when set, otherwise the request's base
/// address, normalised as OpenIddict normalises it (host in lower case, trailing slash), so that OpenIddict's
/// own validation (admin API, introspection of unusual requests) accepts what <see cref="AccessTokenWriter"/> wrote.
/// </summary>
public sealed class TokenIssuer(IOptionsMonitor<OpenIddictServerOptions> server)
{
    public bool TryGet(HttpRequest request, out string issuer)
    {
        if (server.CurrentValue.Issuer is { } configured)
        {
            issuer = configured.AbsoluteUri;
            return true;
        }

        var ok = Uri.TryCreate($"{request.Scheme}://{request.Host}{request.PathBase}/", UriKind.Absolute, out var uri);
        issuer = ok ? uri!.AbsoluteUri : "";
        return ok;
    }
}
