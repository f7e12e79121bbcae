using AuthServer.Clients;
using AuthServer.Data;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Client authentication for the token and introspection endpoints. The checks are ordered so that the
/// cheap ones come first: the secret's format and checksum (no I/O), then the client from the in-memory
/// directory, one SHA-256 compared in constant time, then status and expiry.
/// Unknown client, wrong secret, malformed secret and revoked key all get the same answer; only the key's
/// owner (who proved the secret) learns that it expired.
/// </summary>
public sealed partial class AuthenticateClient(ClientDirectory directory, TimeProvider time, ILogger<AuthenticateClient> logger)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public const string InvalidCredentials = "The client credentials are invalid.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<AuthenticateClient>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        var requiredKind = context.EndpointType switch
        {
            OpenIddictServerEndpointType.Token => ClientKind.ApiKey,
            OpenIddictServerEndpointType.Introspection => ClientKind.ResourceServer,
            _ => (ClientKind?)null,
        };
        if (requiredKind is null || context.IsRejected)
        {
            return;
        }

        var clientId = context.ClientId!;
        var secret = context.ClientSecret;
        if (string.IsNullOrEmpty(secret) || !ClientSecret.IsWellFormed(secret))
        {
            Reject(context, clientId, "the secret is missing or malformed");
            return;
        }

        ClientSnapshot? client;
        try
        {
            client = await directory.FindAsync(clientId, context.CancellationToken);
        }
        catch (DatabaseUnavailableException exception)
        {
            LogDatabaseUnavailable(logger, exception.InnerException?.GetType().Name ?? "unknown");
            context.Reject(Errors.TemporarilyUnavailable, "The server cannot check client credentials right now; retry shortly.");
            return;
        }

        if (client is null || !ClientSecret.Matches(secret, client.SecretHash))
        {
            Reject(context, clientId, client is null ? "unknown client" : "wrong secret");
            return;
        }

        if (client.IsRevoked)
        {
            Reject(context, clientId, "the key is revoked");
            return;
        }

        if (client.Kind != requiredKind)
        {
            LogFailure(clientId, "this kind of client cannot use this endpoint");
            context.Reject(Errors.UnauthorizedClient, "This client is not allowed to use this endpoint.");
            return;
        }

        if (client.IsExpiredAt(time.GetUtcNow().UtcDateTime))
        {
            LogFailure(clientId, "the key expired");
            context.Reject(Errors.InvalidClient, $"The API key expired at {client.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}.");
            return;
        }

        AuthenticatedClient.Set(context.Transaction, client);
    }

    private void Reject(ProcessAuthenticationContext context, string clientId, string reason)
    {
        LogFailure(clientId, reason);
        context.Reject(Errors.InvalidClient, InvalidCredentials);
    }

    private void LogFailure(string clientId, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogRejected(logger, ClientSecret.RedactIfSecret(clientId), reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client authentication failed for client_id {ClientId}: {Reason}.")]
    private static partial void LogRejected(ILogger logger, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client authentication could not reach the database ({ErrorType}).")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string errorType);
}
