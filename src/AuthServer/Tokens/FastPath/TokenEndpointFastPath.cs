using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Throttling;

namespace AuthServer.Tokens.FastPath;

/// <summary>
/// Serves the usual token request — <c>client_credentials</c>, a key's valid credentials, scopes it holds — in one
/// step: about a fifth of the CPU of OpenIddict's generic pipeline, which dominated the cost of a token (see
/// README "How it stays fast"). Every other request, and every request it cannot fully grant (bad credentials,
/// throttled, unknown scope, unusual parameters…), goes on to OpenIddict, which owns the protocol's errors. The
/// checks are the same objects OpenIddict's handlers use: <see cref="ClientAuthenticator"/>,
/// <see cref="TokenRequestThrottle"/>, <see cref="AccessTokenPlanner"/>.
/// </summary>
public sealed class TokenEndpointFastPath(
    RequestDelegate next,
    FastPathContext fastPath,
    ClientAuthenticator authenticator,
    TokenRequestThrottle throttle,
    AccessTokenPlanner planner,
    AccessTokenWriter writer,
    KeyUsageRecorder usage,
    TimeProvider time)
{
    private static readonly HashSet<string> Parameters = ["grant_type", "scope", "client_id", "client_secret"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!await TryIssueAsync(context))
        {
            await next(context);
        }
    }

    private async Task<bool> TryIssueAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.Equals(OpenIddictServerSetup.TokenPathWithSlash, StringComparison.Ordinal) ||
            !HttpMethods.IsPost(request.Method) || !request.HasFormContentType || !fastPath.MayServe(context) ||
            !fastPath.TryGetIssuer(request, out var issuer))
        {
            return false;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (!OAuthForm.HasOnly(form, Parameters) || form["grant_type"] != "client_credentials" ||
            !OAuthForm.TryReadCredentials(request, form, out var credentials))
        {
            return false;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var authentication = await authenticator.AuthenticateAsync(credentials.ClientId, credentials.Secret, address, ClientKind.ApiKey, context.RequestAborted);
        var scopes = OAuthForm.Scopes(form["scope"]);
        if (!authentication.Succeeded || !scopes.All(authentication.Client!.Scopes.Contains) || !throttle.TryTake(credentials.ClientId, out _))
        {
            return false;
        }

        AccessTokenPlan plan;
        try
        {
            plan = await planner.PlanAsync(authentication.Client, scopes, context.RequestAborted);
        }
        catch (DatabaseUnavailableException)
        {
            return false;
        }

        var token = writer.Write(plan, issuer);
        usage.Record(plan.KeyId, plan.IssuedAt.UtcDateTime);
        var expiresIn = (long)Math.Round((plan.ExpiresAt - time.GetUtcNow()).TotalSeconds); // as OpenIddict computes it
        await FastPathContext.WriteJsonAsync(context, json =>
        {
            json.WriteString("access_token", token);
            json.WriteString("token_type", "Bearer");
            json.WriteNumber("expires_in", expiresIn);
            json.WriteString("scope", string.Join(' ', plan.Scopes));
        });
        return true;
    }
}
