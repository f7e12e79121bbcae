using System.Net;
using AuthServer.Clients;

namespace AuthServer.Limits;

/// <summary>
/// A key with an allow-list gets tokens only from an address on it (the address ASP.NET Core settled on, after the
/// <c>ForwardedHeaders</c> settings). Asked by <see cref="Tokens.ClientAuthenticator"/>, so both token paths (the fast
/// path and OpenIddict's) apply it; a refusal is answered exactly like a wrong secret.
/// </summary>
public static class AllowedAddressRule
{
    public static bool Admits(ClientSnapshot client, IPAddress? address) => client.AllowedAddresses?.Allows(address) ?? true;
}
