namespace AuthServer.Tokens;

/// <summary>The claims of AuthServer's access tokens beyond the registered ones (RFC 9068): named once, here.</summary>
public static class AccessTokenClaims
{
    /// <summary>The account the key belongs to; absent for keys of no account (operators).</summary>
    public const string AccountId = "account_id";

    /// <summary>
    /// The key's environment, <c>test</c> or <c>live</c>, in every token AuthServer issues and in introspection answers.
    /// A token without it was issued before environments existed, by a key that is live.
    /// </summary>
    public const string Environment = "environment";

    /// <summary>
    /// In a publishable key's tokens: the API key the publishable key acts for (OpenID Connect's authorized party),
    /// while <c>client_id</c> is the publishable key.
    /// </summary>
    public const string AuthorizedParty = "azp";

    /// <summary>In an end user's token (RFC 8693 §4.1): <c>{"sub": key ID}</c>, the key acting for the end user in <c>sub</c>.</summary>
    public const string Actor = "act";
}
