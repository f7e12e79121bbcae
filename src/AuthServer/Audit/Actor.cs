namespace AuthServer.Audit;

/// <summary>Who asks for a change, and from where: an admin key over HTTP, a person in the console, or an operator at the CLI.</summary>
/// <param name="Id">The admin key ID, <c>user:&lt;email&gt;</c>, or <c>cli:&lt;user&gt;</c>.</param>
/// <param name="Address">The client's IP address, or <c>local</c> for the CLI.</param>
public sealed record Actor(string Id, string Address)
{
    public static Actor Cli() => new($"cli:{Environment.UserName}", "local");

    /// <summary>A person signed in to the console.</summary>
    public static Actor Person(string email, string address) => new($"user:{email}", address);
}
