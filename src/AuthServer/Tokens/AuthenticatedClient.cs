using AuthServer.Clients;
using OpenIddict.Server;

namespace AuthServer.Tokens;

/// <summary>Carries the client that <see cref="AuthenticateClient"/> accepted to the handlers that follow.</summary>
internal static class AuthenticatedClient
{
    private static readonly string PropertyName = typeof(AuthenticatedClient).FullName!;

    public static void Set(OpenIddictServerTransaction transaction, ClientSnapshot client) =>
        transaction.SetProperty(PropertyName, client);

    public static ClientSnapshot Get(OpenIddictServerTransaction transaction) =>
        transaction.GetProperty<ClientSnapshot>(PropertyName)
        ?? throw new InvalidOperationException("The client was not authenticated before this handler ran.");
}
