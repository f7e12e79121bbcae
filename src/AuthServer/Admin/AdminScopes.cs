namespace AuthServer.Admin;

/// <summary>
/// The admin API is protected by tokens from this same server: an admin is a key holding one of these
/// scopes, whose resource server (audience) is <see cref="Audience"/>. They are created at start-up.
/// </summary>
public static class AdminScopes
{
    public const string Audience = "authserver-admin";

    /// <summary>Viewer: list and read the keys (and audit log) of its own account.</summary>
    public const string ReadKeys = "admin:keys:read";

    /// <summary>Administrator: also create, rename, extend and revoke keys of its own account.</summary>
    public const string ManageKeys = "admin:keys";

    /// <summary>Operator: accounts, scopes, resource servers, and the keys of every account.</summary>
    public const string Operator = "admin:operator";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [ReadKeys] = "Admin API: read the keys and audit log of the key's own account",
        [ManageKeys] = "Admin API: create, rename, extend and revoke keys of the key's own account",
        [Operator] = "Admin API: manage accounts, scopes, resource servers and the keys of every account",
    };

    /// <summary>Whether the scope grants access to the admin API (whose tokens require one of these).</summary>
    public static bool IsAdminScope(string scope) => Descriptions.ContainsKey(scope);
}
