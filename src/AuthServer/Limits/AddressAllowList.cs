using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AuthServer.Failures;

namespace AuthServer.Limits;

/// <summary>
/// A key's IP allow-list: CIDR blocks (IPv4 and IPv6) a token request must come from. Empty: any address. Kept with
/// the key record (never in Redis), so it holds whatever state the shared counter is in.
/// </summary>
public sealed class AddressAllowList
{
    public const string Field = "allowedAddresses";
    public const int MaxEntries = 50;

    private readonly IPNetwork[] _networks;

    private AddressAllowList(IPNetwork[] networks) => _networks = networks;

    public static AddressAllowList Any { get; } = new([]);

    public bool IsAny => _networks.Length == 0;

    /// <summary>The blocks in their canonical spelling (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>), as stored.</summary>
    public IReadOnlyList<string> Entries => _networks.Select(network => network.ToString()).ToList();

    /// <summary>An IPv4 client seen through an IPv6 socket (<c>::ffff:203.0.113.7</c>) is its IPv4 address.</summary>
    public bool Allows(IPAddress? address)
    {
        if (IsAny)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var normal = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(network => network.Contains(normal));
    }

    /// <summary>
    /// The one validation of allow-list input (admin API, CLI and console all reach it through <see cref="KeyLimitsRule"/>):
    /// a CIDR block or a single address each, at most <see cref="MaxEntries"/> given; duplicates are dropped. An empty
    /// entry is refused, not skipped: a list of blanks (a template's empty variable) must not mean "any address".
    /// </summary>
    /// <exception cref="InvalidFieldException">An entry is empty or not a CIDR block, or there are too many.</exception>
    public static AddressAllowList Parse(IEnumerable<string?>? entries)
    {
        var given = (entries ?? []).ToList();
        if (given.Count > MaxEntries)
        {
            throw new InvalidFieldException(Field, $"A key's allow-list holds at most {MaxEntries} entries; {given.Count} were given.");
        }

        var networks = new List<IPNetwork>();
        foreach (var raw in given)
        {
            var text = raw?.Trim() ?? "";
            if (text.Length == 0)
            {
                throw new InvalidFieldException(Field, "An allow-list entry is empty: give a CIDR block or an address, or an empty list for any address.");
            }

            var network = ParseEntry(text);
            if (!networks.Contains(network))
            {
                networks.Add(network);
            }
        }

        return new AddressAllowList([.. networks]);
    }

    /// <summary>From stored entries (valid when they were stored; any that no longer parse are left out, so they allow nothing).</summary>
    public static AddressAllowList FromStored(IReadOnlyCollection<string>? stored)
    {
        if (stored is null || stored.Count == 0)
        {
            return Any;
        }

        var networks = stored.Select(text => IPNetwork.TryParse(text, out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>().ToArray();
        // Nothing parseable left must not turn into "any address".
        return networks.Length == 0 ? new AddressAllowList([new IPNetwork(IPAddress.IPv6None, 128)]) : new AddressAllowList(networks);
    }

    private static IPNetwork ParseEntry(string text)
    {
        var shown = text.Length <= 60 ? text : text[..60] + "…";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IsAddress(addressText, out var address))
        {
            throw new InvalidFieldException(Field, $"'{shown}' is not an IP address or CIDR block (e.g. 203.0.113.0/24 or 2001:db8::/32).");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            throw new InvalidFieldException(Field, $"'{shown}': the prefix length of an {(maxPrefix == 32 ? "IPv4" : "IPv6")} block is 0 to {maxPrefix}.");
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw new InvalidFieldException(Field, $"'{shown}' has bits set past its prefix; did you mean {network}?");
        }

        return network;
    }

    // IPAddress.TryParse also takes "10" or "10.1" (as 0.0.0.10, 10.0.0.1) and scope IDs; an allow-list takes none of them.
    private static bool IsAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        // Canonical dotted quads only: no "10.1", no "010.0.0.1" (which some parsers read as octal).
        if (parsed.AddressFamily == AddressFamily.InterNetwork && parsed.ToString() != text)
        {
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
