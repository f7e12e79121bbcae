namespace AuthServer.Users;

/// <summary>Section <c>Users</c> of the configuration.</summary>
public sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>How long an invitation link can be accepted.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Where people reach the console, e.g. <c>https://auth.example.com</c>; invitation links start with it.
    /// Null: <c>Tokens:Issuer</c>, or a relative link when that is not set either.
    /// </summary>
    public Uri? PublicUrl { get; set; }
}
