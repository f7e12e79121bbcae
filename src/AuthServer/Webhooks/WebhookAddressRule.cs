using System.Net;
using System.Net.Sockets;

namespace AuthServer.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: public ones, and the private ones the operator allowed. Asked when an endpoint
/// is registered (its URL) and again at every connection (what its name resolves to then), so a name that later
/// resolves to an internal address (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookAddressRule
{
    // Loopback, "this network", private, carrier-grade NAT, link-local (cloud metadata), documentation, benchmarking,
    // multicast and reserved ranges; their IPv6 counterparts; and the IPv6 forms that carry an IPv4 address inside
    // (IPv4-compatible, SIIT-translated, NAT64, 6to4, Teredo), which could reach any IPv4 address through a relay.
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"), IPNetwork.Parse("::ffff:0:0:0/96"), IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001::/23"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("2002::/16"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed;

    public WebhookAddressRule(IEnumerable<string> allowedPrivateNetworks) =>
        _allowed = [.. allowedPrivateNetworks.Select(IPNetwork.Parse)];

    /// <summary>Null when the address may be reached, else why not.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return "it is not an IP address";
        }

        return NotPublic.Any(network => network.Contains(address)) && !_allowed.Any(network => network.Contains(address))
            ? $"{address} is a loopback, private, link-local or reserved address (Webhooks:AllowedPrivateNetworks lets an operator allow it)"
            : null;
    }

    /// <summary>
    /// The addresses the host has now (an IP literal as it is), with why they may not be reached when one of them may
    /// not: registration looks at the refusal, a connection reaches exactly the addresses checked.
    /// </summary>
    public async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusal = addresses.Length == 0 ? $"{host} has no address" : addresses.Select(Refusal).FirstOrDefault(r => r is not null);
        return (addresses, refusal);
    }
}
