using AuthServer.Clients;
using AuthServer.Tokens.Answers;
using AuthServer.Tokens.Requests;

namespace AuthServer.Tokens.FastPath;

/// <summary>
/// Serves the usual introspection request — a resource server's credentials and an access token or a key's secret
/// (with the hint that names its kind, if any, and the address that presented it, if given), nothing else —
/// without OpenIddict's generic pipeline. It decides nothing of its own: the caller is authenticated by
/// <see cref="TokenRequestValidator"/>, the token judged by <see cref="IntrospectionValidator"/>, the answer
/// written by <see cref="IntrospectionAnswer"/>, exactly as in OpenIddict's pipeline. Anything but an active
/// token goes on to OpenIddict, which reads the same decisions (<c>active: false</c>, 503, or the protocol's error).
/// </summary>
public sealed class IntrospectionEndpointFastPath(
    RequestDelegate next,
    TokenRequestValidator validator,
    IntrospectionValidator introspection)
{
    private static readonly HashSet<string> Parameters =
        ["token", "token_type_hint", "client_id", "client_secret", IntrospectionValidator.PresenterAddressParameter];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(OpenIddictServerSetup.IntrospectionPathWithSlash, StringComparison.Ordinal) || !await TryAnswerAsync(context))
        {
            await next(context);
        }
    }

    private async Task<bool> TryAnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return false;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (!OAuthForm.HasOnly(form, Parameters) || form["token"] is not [{ Length: > 0 } token] ||
            form["token_type_hint"] is [var hint] && hint != (IntrospectionValidator.IsKeySecret(token) ? "api_key" : "access_token") ||
            !OAuthForm.TryReadCredentials(request, form, out var credentials))
        {
            return false;
        }

        var caller = await validator.AuthenticateAsync(context, credentials.ClientId, credentials.Secret, ClientKind.ResourceServer, context.RequestAborted);
        if (!caller.Succeeded)
        {
            return false;
        }

        var verdict = await introspection.JudgeAsync(context, credentials.ClientId, token, context.RequestAborted);
        if (verdict.Outcome != IntrospectionOutcome.Active)
        {
            return false;
        }

        await OAuthJson.WriteAsync(context, verdict.Token is { } jwt ? IntrospectionAnswer.Of(jwt) : IntrospectionAnswer.Of(verdict.Key!));
        return true;
    }
}
