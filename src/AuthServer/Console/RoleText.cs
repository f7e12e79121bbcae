using AuthServer.Users;

namespace AuthServer.Console;

/// <summary>How the console names roles.</summary>
public static class RoleText
{
    public static string Of(MemberRole role) => role == MemberRole.Administrator ? "Administrator" : "Member";
}
