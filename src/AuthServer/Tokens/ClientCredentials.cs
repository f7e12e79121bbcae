using System.Text;

namespace AuthServer.Tokens;

/// <summary>A client ID and secret as a request presented them.</summary>
public readonly record struct ClientCredentials(string ClientId, string Secret)
{
    /// <summary>
    /// An HTTP Basic <c>Authorization</c> header as OpenIddict reads it (RFC 6749 §2.3.1: Base64 of "id:secret", each
    /// part form-decoded); false when it is not one, or either part is empty.
    /// </summary>
    public static bool TryReadBasic(string header, out ClientCredentials credentials)
    {
        credentials = default;
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
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
