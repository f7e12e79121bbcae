using System.Buffers;
using System.Text;
using AuthServer.Clients;
using AuthServer.Secrets;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tokens;

/// <summary>
/// Shape checks for <c>/connect/*</c> that come before OpenIddict parses or logs anything, each answered with
/// an RFC 6749 JSON <c>invalid_request</c>: POST only (tokens and secrets never travel in URLs); a body of at
/// most <see cref="MaxBodyBytes"/> (413), read whole so that a chunked body cannot slip past; a well-formed
/// <c>application/x-www-form-urlencoded</c> form; no repeated parameter (RFC 6749 §3.1); no control characters;
/// no secret anywhere but in the value of <c>client_secret</c>. OpenIddict logs every extracted parameter but
/// <c>client_secret</c> in clear (at Information), so that last check is what keeps a misplaced secret (say, key
/// ID and secret swapped, or a secret sent as a parameter's name) out of the logs whatever their levels. The one
/// other place a secret belongs is <c>token</c> at introspection (a key presented directly to a resource server),
/// which OpenIddict logs redacted.
/// </summary>
public sealed class OAuthRequestGuard(RequestDelegate next)
{
    public const int MaxBodyBytes = 16 * 1024;

    public const string MisplacedSecret =
        "A parameter other than client_secret contains what looks like an AuthServer secret; send the secret only as client_secret or in the Authorization header.";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/connect"))
        {
            await next(context);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "The OAuth endpoints accept POST requests only.");
            return;
        }

        if (!await BufferBodyAsync(context))
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyBytes} bytes.");
            return;
        }

        if (!IsUrlEncodedForm(request))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Send the parameters in an application/x-www-form-urlencoded body.");
            return;
        }

        if ((await CheckFormAsync(request, MaySecretBeIn(request)) ?? CheckBasicClientId(request)) is { } problem)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        await next(context);
    }

    private static async Task<bool> BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return false;
        }

        var buffer = new MemoryStream(capacity: (int)(request.ContentLength ?? 256));
        var chunk = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return false;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        request.Body = buffer;
        return true;
    }

    /// <summary>Parses the form once (ASP.NET Core caches it for OpenIddict) and returns what is wrong with it, if anything.</summary>
    private static IReadOnlySet<string> MaySecretBeIn(HttpRequest request) =>
        request.Path.Equals(OpenIddictServerSetup.IntrospectionPathWithSlash, StringComparison.Ordinal) ? SecretAndToken : SecretOnly;

    private static readonly IReadOnlySet<string> SecretOnly = new HashSet<string> { Parameters.ClientSecret };
    private static readonly IReadOnlySet<string> SecretAndToken = new HashSet<string> { Parameters.ClientSecret, Parameters.Token };

    private static async Task<string?> CheckFormAsync(HttpRequest request, IReadOnlySet<string> maySecretBeIn)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return "The request body is not a valid form (application/x-www-form-urlencoded).";
        }

        foreach (var (name, values) in form)
        {
            // Before any check that names the parameter, so the answer never echoes a secret.
            if (ClientSecret.LooksLikeSecret(name) || (!maySecretBeIn.Contains(name) && values.Any(value => ClientSecret.LooksLikeSecret(value))))
            {
                return MisplacedSecret;
            }

            if (values.Count > 1)
            {
                return $"The parameter '{Printable(name)}' is repeated; each parameter may be sent once.";
            }

            if (name.Any(char.IsControl) || values.Any(value => value?.Any(char.IsControl) == true))
            {
                return $"The parameter '{Printable(name)}' contains control characters.";
            }
        }

        return null;
    }

    /// <summary>OpenIddict copies the client ID of an HTTP Basic header into the request it logs.</summary>
    private static string? CheckBasicClientId(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null; // OpenIddict refuses it without logging it
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        var clientId = colon < 0 ? credentials : credentials[..colon];
        return ClientSecret.LooksLikeSecret(Uri.UnescapeDataString(clientId)) ? MisplacedSecret : null;
    }

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
        type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static string Printable(string name) =>
        new(name.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static Task RefuseAsync(HttpContext context, int status, string description) =>
        OAuthErrorResponse.WriteInvalidRequestAsync(context, status, description);
}
