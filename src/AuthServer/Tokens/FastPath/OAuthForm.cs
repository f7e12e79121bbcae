using System.Text;

namespace AuthServer.Tokens.FastPath;

internal readonly record struct ClientCredentials(string ClientId, string Secret);

/// <summary>
/// Reads an OAuth request's form the way OpenIddict does, for the fast paths. Whenever the request is anything
/// but plainly well-formed the answer is "no" and OpenIddict takes the request, with its standard errors. What is
/// refused for everyone (a misplaced secret, repeated parameters, control characters) the request guard has
/// refused before.
/// </summary>
internal static class OAuthForm
{
    /// <summary>True when the form has no parameter but <paramref name="allowed"/> (the request guard has refused misplaced secrets).</summary>
    public static bool HasOnly(IFormCollection form, IReadOnlySet<string> allowed)
    {
        foreach (var name in form.Keys)
        {
            if (!allowed.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// client_secret_basic (Base64 of "id:secret", each part form-decoded, as OpenIddict reads it) or
    /// client_secret_post; false when neither, both, or malformed.
    /// </summary>
    public static bool TryReadCredentials(HttpRequest request, IFormCollection form, out ClientCredentials credentials)
    {
        credentials = default;
        var header = request.Headers.Authorization.ToString();
        var inBody = form.ContainsKey("client_id") || form.ContainsKey("client_secret");
        if (header.Length == 0)
        {
            if (form["client_id"] is [{ Length: > 0 } id] && form["client_secret"] is [{ Length: > 0 } secret])
            {
                credentials = new ClientCredentials(id, secret);
                return true;
            }

            return false;
        }

        if (inBody || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[256];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var length))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(decoded[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        credentials = new ClientCredentials(Unescape(text[..colon]), Unescape(text[(colon + 1)..]));
        return true;
    }

    private static string Unescape(string value) => Uri.UnescapeDataString(value.Replace("+", "%20", StringComparison.Ordinal));
}
