namespace AuthServer.Users;

/// <summary>
/// An invitation to join an account with a role. The link carries a random token; only its hash is stored, and
/// the invitation can be accepted once, before it expires.
/// </summary>
public sealed class Invitation
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Email { get; init; }

    public MemberRole Role { get; init; }

    public required string TokenHash { get; init; }

    public DateTime CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? AcceptedAt { get; set; }
}
