using AuthServer.ApiKeys;
using AuthServer.Secrets;

namespace AuthServer.Browser;

/// <summary>
/// Publishable keys are <c>pk_</c>, the API key's environment (<c>test_</c> or <c>live_</c>) and 24 random base62
/// characters: recognisable at a glance as not secret, and telling a test page from a production one.
/// </summary>
public static class PublishableKeyFormat
{
    public const string Prefix = "pk_";
    private const int RandomLength = 24;

    /// <summary>The length of every publishable key.</summary>
    public const int Length = 8 + RandomLength;

    public static string Generate(KeyEnvironment environment) => Prefix + environment.Name() + "_" + Base62.RandomString(RandomLength);

    /// <summary>True for a client ID that claims to be a publishable key; such requests are served by browser mode only.</summary>
    public static bool LooksLike(string? clientId) => clientId?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static bool IsWellFormed(string clientId) =>
        clientId.Length == Length &&
        (clientId.StartsWith("pk_test_", StringComparison.Ordinal) || clientId.StartsWith("pk_live_", StringComparison.Ordinal)) &&
        Base62.IsBase62(clientId.AsSpan(8));
}
