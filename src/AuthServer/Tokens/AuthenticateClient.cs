using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Throttling;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Client authentication for the token and introspection endpoints. The checks are ordered so that the
/// cheap ones come first: the brute-force throttle, then the secret's format and checksum (no I/O), then the
/// client from the in-memory directory, one SHA-256 compared in constant time, then status and expiry.
/// Unknown client, wrong secret, malformed secret and revoked key all get the same answer in about the same
/// time; only the key's owner (who proved the secret) learns that it expired.
/// </summary>
public sealed partial class AuthenticateClient(
    ClientDirectory directory,
    FailedAuthenticationThrottle throttle,
    TimeProvider time,
    ILogger<AuthenticateClient> logger) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public const string InvalidCredentials = "The client credentials are invalid.";
    private const int MaxClientIdLength = 100;

    // Compared against when the client is unknown, so that an unknown client ID costs the same hash as a known one.
    private static readonly string UnknownClientHash = ClientSecret.Hash(ClientSecret.Generate());

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
        var address = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!throttle.MayAttempt(clientId, address, out var retryAfter))
        {
            LogFailure(clientId, "too many failed attempts");
            RetryableRefusal.Throttled(context, retryAfter, "Too many failed authentication attempts; retry later.");
            return;
        }

        var secret = context.ClientSecret;
        if (clientId.Length > MaxClientIdLength || string.IsNullOrEmpty(secret) || !ClientSecret.IsWellFormed(secret))
        {
            Reject(context, clientId, address, "the client ID or secret is malformed");
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
            RetryableRefusal.Unavailable(context, "The server cannot check client credentials right now; retry shortly.");
            return;
        }

        var secretMatches = ClientSecret.Matches(secret, client?.SecretHash ?? UnknownClientHash);
        if (client is null || !secretMatches)
        {
            Reject(context, clientId, address, client is null ? "unknown client" : "wrong secret");
            return;
        }

        if (client.IsRevoked)
        {
            Reject(context, clientId, address, "the key is revoked");
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
            throttle.RecordFailure(clientId, address);
            LogFailure(clientId, "the key expired");
            context.Reject(Errors.InvalidClient, $"The API key expired at {client.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}.");
            return;
        }

        AuthenticatedClient.Set(context.Transaction, client);
    }

    private void Reject(ProcessAuthenticationContext context, string clientId, string address, string reason)
    {
        throttle.RecordFailure(clientId, address);
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
