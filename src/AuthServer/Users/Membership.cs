namespace AuthServer.Users;

/// <summary>What a person may do in one account's console.</summary>
public enum MemberRole
{
    /// <summary>Sees the account's keys, members and audit log; changes nothing.</summary>
    Member,

    /// <summary>Manages the account's keys and members.</summary>
    Administrator,
}

/// <summary>A person belongs to an account with a role.</summary>
public sealed class Membership
{
    public required string AccountId { get; init; }

    public required string UserId { get; init; }

    public MemberRole Role { get; set; }

    public DateTime CreatedAt { get; init; }
}
