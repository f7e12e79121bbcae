using AuthServer.Clients;
using AuthServer.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace AuthServer.Tokens.FastPath;

/// <summary>
/// Answers the usual introspection request — a resource server's valid credentials and a valid, unexpired access
/// token addressed to it whose key is still active — with <c>active: true</c> in one step. Anything else goes on
/// to OpenIddict (<c>active: false</c> or the protocol's error). Checks as OpenIddict and
/// <see cref="RequireCallerInAudience"/> / <see cref="RequireActiveKey"/> do: signature by a published key,
/// issuer, lifetime, <c>typ: at+jwt</c>, audience, key status.
/// </summary>
public sealed class IntrospectionEndpointFastPath(
    RequestDelegate next,
    FastPathContext fastPath,
    ClientAuthenticator authenticator,
    ClientDirectory directory,
    IOptionsMonitor<OpenIddictServerOptions> server,
    TimeProvider time)
{
    private static readonly HashSet<string> Parameters = ["token", "token_type_hint", "client_id", "client_secret"];
    private readonly JsonWebTokenHandler _handler = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!await TryAnswerAsync(context))
        {
            await next(context);
        }
    }

    private async Task<bool> TryAnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.Equals(OpenIddictServerSetup.IntrospectionPathWithSlash, StringComparison.Ordinal) ||
            !HttpMethods.IsPost(request.Method) || !request.HasFormContentType || !fastPath.MayServe(context) ||
            !fastPath.TryGetIssuer(request, out var issuer))
        {
            return false;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (!OAuthForm.HasOnly(form, Parameters) || form["token"] is not [{ Length: > 0 } token] ||
            form["token_type_hint"] is [var hint] && hint != "access_token" ||
            !OAuthForm.TryReadCredentials(request, form, out var credentials))
        {
            return false;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var caller = await authenticator.AuthenticateAsync(credentials.ClientId, credentials.Secret, address, ClientKind.ResourceServer, context.RequestAborted);
        if (!caller.Succeeded)
        {
            return false;
        }

        var validation = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            IssuerSigningKeys = server.CurrentValue.SigningCredentials.Select(credentials => credentials.Key),
            ValidTypes = ["at+jwt"],
            ValidateAudience = false, // checked below: the caller must be one of the audiences
            ClockSkew = TimeSpan.Zero,
        });
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt ||
            !jwt.Audiences.Contains(credentials.ClientId, StringComparer.Ordinal) ||
            !jwt.TryGetPayloadValue<string>("client_id", out var keyId) || !await IsActiveAsync(keyId, context.RequestAborted))
        {
            return false;
        }

        await FastPathContext.WriteJsonAsync(context, json =>
        {
            json.WriteBoolean("active", true);
            json.WriteString("iss", jwt.Issuer);
            json.WriteString("sub", jwt.Subject);
            json.WriteString("scope", jwt.TryGetPayloadValue<string>("scope", out var scope) ? scope : "");
            json.WriteString("jti", jwt.Id);
            json.WriteString("token_type", "Bearer");
            json.WriteString("token_usage", "access_token");
            json.WriteString("client_id", keyId);
            var issuedAt = jwt.TryGetPayloadValue<long>("iat", out var iat) ? iat : 0;
            json.WriteNumber("iat", issuedAt);
            json.WriteNumber("nbf", issuedAt);
            json.WriteNumber("exp", jwt.TryGetPayloadValue<long>("exp", out var exp) ? exp : 0);
            var audiences = jwt.Audiences.ToList();
            if (audiences.Count == 1)
            {
                json.WriteString("aud", audiences[0]);
            }
            else
            {
                json.WriteStartArray("aud");
                audiences.ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            if (jwt.TryGetPayloadValue<string>(IssueAccessToken.AccountIdClaim, out var accountId))
            {
                json.WriteString(IssueAccessToken.AccountIdClaim, accountId);
            }
        });
        return true;
    }

    private async Task<bool> IsActiveAsync(string keyId, CancellationToken cancellationToken)
    {
        try
        {
            var key = await directory.FindAsync(keyId, cancellationToken);
            return key is { Kind: ClientKind.ApiKey } && key.IsActiveAt(time.GetUtcNow().UtcDateTime);
        }
        catch (DatabaseUnavailableException)
        {
            return false;
        }
    }
}
