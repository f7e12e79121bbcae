namespace AuthServer.Tokens.FastPath;

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

        return !inBody && ClientCredentials.TryReadBasic(header, out credentials);
    }

}
