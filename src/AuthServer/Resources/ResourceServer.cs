namespace AuthServer.Resources;

/// <summary>
/// An API that accepts AuthServer tokens, registered under its audience name (the <c>aud</c> claim).
/// When it is given introspection credentials, an OpenIddict application with the same client_id holds them.
/// </summary>
public sealed class ResourceServer
{
    public const int MaxDescriptionLength = 200;

    public required string Name { get; init; }

    public string? Description { get; set; }

    public DateTime CreatedAt { get; init; }

    public required string CreatedBy { get; init; }
}
