namespace AuthServer.Accounts;

/// <summary>
/// Whose things a service call may see and change: one account's (every caller bound to an account) or every
/// account's (operators: the CLI, operator admin keys). Said explicitly, where a null account ID used to mean "all".
/// </summary>
public readonly record struct AccountScope
{
    private AccountScope(string? accountId) => AccountId = accountId;

    public static AccountScope Every => new(null);

    /// <summary>The one account, or null for <see cref="Every"/>.</summary>
    public string? AccountId { get; }

    public static AccountScope Only(string accountId) => new(accountId ?? throw new ArgumentNullException(nameof(accountId)));

    /// <summary>Compared exactly: databases may match IDs loosely (SQL Server: case, trailing spaces), AuthServer does not.</summary>
    public bool Includes(string accountId) => AccountId is null || string.Equals(AccountId, accountId, StringComparison.Ordinal);
}
