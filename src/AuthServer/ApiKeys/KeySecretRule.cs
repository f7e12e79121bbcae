using AuthServer.Secrets;

namespace AuthServer.ApiKeys;

/// <summary>Which of a key's secrets a presented secret is.</summary>
public enum SecretMatch
{
    None,
    Current,

    /// <summary>The secret a roll replaced, within its grace.</summary>
    Previous,
}

/// <summary>
/// Which secrets of a key are accepted now: the current one, and the one a roll replaced until its grace end
/// (strictly before it). Every check of a key's secret asks this rule, so a cached snapshot stops accepting the
/// previous secret at its grace end without any eviction. Both hashes are always compared, so the answer takes
/// the same time whichever secret (if any) matches.
/// </summary>
public static class KeySecretRule
{
    public static SecretMatch Match(string secret, string? currentHash, string? previousHash, DateTime? previousEndsAt, DateTime now)
    {
        var current = ClientSecret.Matches(secret, currentHash);
        var previous = ClientSecret.Matches(secret, previousHash);
        return current ? SecretMatch.Current
            : previous && PreviousAcceptedAt(previousEndsAt, now) ? SecretMatch.Previous
            : SecretMatch.None;
    }

    public static bool PreviousAcceptedAt(DateTime? previousEndsAt, DateTime now) => previousEndsAt > now;
}
