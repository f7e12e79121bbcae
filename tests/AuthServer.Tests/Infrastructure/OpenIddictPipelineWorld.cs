namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// The standard world with <c>Tokens:FastPaths</c> off: every OAuth request goes through OpenIddict's pipeline.
/// The token and introspection suites run in it too, so both paths are held to the same answers.
/// </summary>
public sealed class OpenIddictPipelineWorld() : TestWorld(Settings)
{
    public static Dictionary<string, string?> Settings => new() { ["Tokens:FastPaths"] = "false" };
}
