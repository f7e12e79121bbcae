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
}
