namespace AuthServer.Hosting;

/// <summary>Section <c>ForwardedHeaders</c>: the reverse proxies whose X-Forwarded-For/-Proto are believed.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];
}
