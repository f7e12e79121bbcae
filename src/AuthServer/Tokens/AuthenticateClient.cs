using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Throttling;
using AuthServer.Tokens.Requests;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Client authentication for the token and introspection endpoints, decided once per request
/// (<see cref="TokenRequestValidator.AuthenticateAsync"/>: when the fast path has already decided, this reads that
/// decision), turned into the protocol's answers. Unknown client, wrong secret, malformed secret and revoked key all get the same
/// answer; only the key's owner (who proved the secret) learns that it expired. Failures count towards the
/// brute-force throttle.
/// </summary>
public sealed partial class AuthenticateClient(
    TokenRequestValidator validator,
    FailedAuthenticationThrottle throttle,
    ILogger<AuthenticateClient> logger) : IOpenIddictServerHandler<ProcessAuthenticationContext>
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
        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var result = await validator.AuthenticateAsync(http, clientId, context.ClientSecret, requiredKind.Value, context.CancellationToken);
        if (result.Succeeded)
        {
            return;
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        LogFailure(clientId, result.Outcome);
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Throttled:
                RetryableRefusal.Throttled(context, result.RetryAfter, "Too many failed authentication attempts; retry later.");
                return;
            case AuthenticationOutcome.DatabaseUnavailable:
                RetryableRefusal.Unavailable(context, "The server cannot check client credentials right now; retry shortly.");
                return;
            case AuthenticationOutcome.WrongKind:
                context.Reject(Errors.UnauthorizedClient, "This client is not allowed to use this endpoint.");
                return;
            case AuthenticationOutcome.Expired:
                throttle.RecordFailure(clientId, address);
                context.Reject(Errors.InvalidClient, $"The API key expired at {result.Client!.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}.");
                return;
            default:
                throttle.RecordFailure(clientId, address);
                context.Reject(Errors.InvalidClient, InvalidCredentials);
                return;
        }
    }

    private void LogFailure(string clientId, AuthenticationOutcome outcome)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogRejected(logger, ClientSecret.SafeForLogs(clientId), outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client authentication failed for client_id {ClientId}: {Outcome}.")]
    private static partial void LogRejected(ILogger logger, string clientId, AuthenticationOutcome outcome);
}
