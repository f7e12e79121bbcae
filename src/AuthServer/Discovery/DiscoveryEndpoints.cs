using OpenIddict.Server;

namespace AuthServer.Discovery;

/// <summary>
/// The discovery documents and JWKS that OpenIddict serves (paths in <see cref="Tokens.OpenIddictServerSetup"/>):
/// their URLs follow <c>Tokens:Issuer</c> when it is set, and clients and caches may keep them for five minutes.
/// </summary>
public static class DiscoveryEndpoints
{
    /// <summary>
    /// No longer than a resource server waits before re-reading the JWKS for an unknown <c>kid</c> would tolerate
    /// a stale copy in an HTTP cache, and far shorter than the lead time a new signing key is published with.
    /// </summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(NameEndpointsAfterIssuer.Descriptor)
            .AddEventHandler(PublishSigningKeys.Descriptor)
            .AddEventHandler(DescribeWhatAuthServerIs.Descriptor)
            .AddEventHandler(AllowCaching.ConfigurationDescriptor)
            .AddEventHandler(AllowCaching.JsonWebKeySetDescriptor));
        return services;
    }
}
