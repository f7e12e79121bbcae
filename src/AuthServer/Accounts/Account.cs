namespace AuthServer.Accounts;

/// <summary>A tenant: it owns API keys, which all of its administrators share.</summary>
public sealed class Account
{
    public const int MaxNameLength = 100;

    public required string Id { get; init; }

    public required string Name { get; set; }

    /// <summary>The operator's override of the active-key limit; null means the configured default.</summary>
    public int? KeyLimit { get; set; }

    /// <summary>
    /// How many keys were ever created for the account. Incrementing it is also the first statement of a
    /// key creation, which makes concurrent creations for one account take turns (see <c>ApiKeyCreator</c>).
    /// </summary>
    public long KeysCreated { get; set; }

    public DateTime CreatedAt { get; init; }
}
