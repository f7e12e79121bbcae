using AuthServer.Failures;

namespace AuthServer.ApiKeys;

/// <summary>The environment's names, and the one rule on which scopes a key of each environment may reach.</summary>
public static class KeyEnvironments
{
    /// <summary>What a key gets when its creator names none: the behaviour every key had before environments existed.</summary>
    public const KeyEnvironment Default = KeyEnvironment.Live;

    public const string Names = "test or live";

    /// <summary>The name used everywhere: in secrets, claims, the admin API, the CLI and the console (<c>test</c>, <c>live</c>).</summary>
    public static string Name(this KeyEnvironment environment) => environment switch
    {
        KeyEnvironment.Test => "test",
        _ => "live",
    };

    public static bool TryParse(string? text, out KeyEnvironment environment)
    {
        environment = Default;
        switch (text)
        {
            case "test":
                environment = KeyEnvironment.Test;
                return true;
            case "live":
                environment = KeyEnvironment.Live;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Null stays null (no filter, or the default); anything else must be test or live.</summary>
    public static KeyEnvironment? ParseField(string field, string? text) =>
        text is null ? null
        : TryParse(text, out var environment) ? environment
        : throw new InvalidFieldException(field, $"{field} is {Names}.");

    /// <summary>
    /// A test key never reaches a scope an operator marked live-only: the first of <paramref name="scopes"/> closed to
    /// a key of <paramref name="environment"/>, or null. Key creation and the token endpoint both ask this.
    /// </summary>
    public static string? FirstScopeClosedTo(KeyEnvironment environment, IEnumerable<string> scopes, Func<string, bool> isLiveOnly) =>
        environment == KeyEnvironment.Live ? null : scopes.FirstOrDefault(isLiveOnly);

    public static string ClosedScopeMessage(string scope) =>
        $"The scope '{scope}' is for live keys only, and this is a test key. Use a live key, or a scope open to test keys.";
}
