using System.Globalization;
using AuthServer.Tokens;
using AuthServer.Tokens.Answers;
using OpenIddict.Abstractions;

namespace AuthServer.Browser;

/// <summary>
/// Serves every token request whose <c>client_id</c> is a publishable key, with or without the fast paths: OpenIddict's
/// pipeline authenticates clients by secret, and a publishable key has none. It runs after the request guard (which
/// applies to every OAuth request) and answers with the validator's decision: a token (RFC 6749 §5.1; RFC 8693 §2.2.1
/// for an exchange) or an RFC 6749 error, with a CORS grant only for an allowed origin.
/// </summary>
public sealed class PublishableKeyTokenEndpoint(RequestDelegate next, PublishableTokenValidator validator, AccessTokenWriter writer, TokenIssuer issuer, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.Equals(OpenIddictServerSetup.TokenPathWithSlash, StringComparison.Ordinal) || !request.HasFormContentType)
        {
            await next(context);
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (!PublishableKeyFormat.LooksLike(form["client_id"]))
        {
            await next(context);
            return;
        }

        var decision = await validator.DecideAsync(context, form, context.RequestAborted);
        if (decision.CorsOrigin is { } origin)
        {
            CorsGrant.Apply(context.Response, origin);
        }

        if (decision.Plan is { } plan && issuer.TryGet(request, out var iss))
        {
            var answer = TokenAnswer.Of(writer.Write(plan, iss), plan, time.GetUtcNow());
            await OAuthJson.WriteAsync(context, decision.IsTokenExchange
                ? answer.Append(new KeyValuePair<string, OpenIddictParameter>("issued_token_type", OpenIddictConstants.TokenTypeIdentifiers.AccessToken))
                : answer);
            return;
        }

        await WriteRefusalAsync(context, decision.Refusal ?? new PublishableRefusal(400, "invalid_request", "The request has no usable base address.", null));
    }

    private static Task WriteRefusalAsync(HttpContext context, PublishableRefusal refusal)
    {
        if (refusal.RetryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return OAuthErrorResponse.WriteAsync(context, refusal.Status, refusal.Error, refusal.Description);
    }
}
