using AuthServer.Clients;
using AuthServer.Tokens.Answers;
using AuthServer.Tokens.Requests;

namespace AuthServer.Tokens.FastPath;

/// <summary>
/// Serves the usual token request — <c>client_credentials</c>, credentials in the header or the form, nothing
/// else — without OpenIddict's generic pipeline, which dominated the cost of a token (README "How it stays
/// fast"). It decides nothing of its own: the checks are <see cref="TokenRequestValidator"/>'s, the token is
/// <see cref="AccessTokenWriter"/>'s and the answer <see cref="TokenAnswer"/>'s, exactly as in OpenIddict's
/// pipeline. A request it cannot grant goes on to OpenIddict, which reads the decisions already made and answers
/// the protocol's error.
/// </summary>
public sealed class TokenEndpointFastPath(
    RequestDelegate next,
    TokenIssuer issuer,
    TokenRequestValidator validator,
    AccessTokenWriter writer,
    TimeProvider time)
{
    private static readonly HashSet<string> Parameters = ["grant_type", "scope", "client_id", "client_secret"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(OpenIddictServerSetup.TokenPathWithSlash, StringComparison.Ordinal) || !await TryIssueAsync(context))
        {
            await next(context);
        }
    }

    private async Task<bool> TryIssueAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || !issuer.TryGet(request, out var iss))
        {
            return false;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (!OAuthForm.HasOnly(form, Parameters) || form["grant_type"] != "client_credentials" ||
            !OAuthForm.TryReadCredentials(request, form, out var credentials))
        {
            return false;
        }

        var authentication = await validator.AuthenticateAsync(context, credentials.ClientId, credentials.Secret, ClientKind.ApiKey, context.RequestAborted);
        if (authentication is not { Succeeded: true, Client: { } key })
        {
            return false;
        }

        var scopes = RequestedScopes.Parse(form["scope"]);
        if (TokenRequestValidator.ScopeRefusal(key, scopes) is not null ||
            !(await validator.TakePermitAsync(context, key, context.RequestAborted)).Granted ||
            (await validator.PlanAsync(context, key, scopes, context.RequestAborted)).Plan is not { } plan)
        {
            return false;
        }

        await OAuthJson.WriteAsync(context, TokenAnswer.Of(writer.Write(plan, iss), plan, time.GetUtcNow()));
        return true;
    }
}
