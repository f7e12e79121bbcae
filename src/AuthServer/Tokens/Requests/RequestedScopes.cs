namespace AuthServer.Tokens.Requests;

/// <summary>The <c>scope</c> parameter (RFC 6749 §3.3) as both paths read it: space-separated, each scope once, in the order given.</summary>
public static class RequestedScopes
{
    public static IReadOnlyList<string> Parse(string? scope) =>
        string.IsNullOrEmpty(scope) ? [] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
}
