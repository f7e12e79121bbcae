namespace AuthServer.Audit;

/// <summary>Who asks for a change, and from where: an admin key over HTTP, or an operator at the CLI.</summary>
/// <param name="Id">The admin key ID, or <c>cli:&lt;user&gt;</c>.</param>
/// <param name="Address">The client's IP address, or <c>local</c> for the CLI.</param>
public sealed record Actor(string Id, string Address)
{
    public static Actor Cli() => new($"cli:{Environment.UserName}", "local");
}
