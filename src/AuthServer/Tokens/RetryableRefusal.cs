using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Refusals that the client should retry later rather than fix: the database is unreachable (503) or the
/// client is being throttled (429). Both are RFC 6749 JSON errors (<c>temporarily_unavailable</c>) with the
/// matching status and a <c>Retry-After</c> header, so that clients and load balancers back off.
/// </summary>
public static class RetryableRefusal
{
    private static readonly string PropertyName = typeof(RetryableRefusal).FullName!;

    public static void Unavailable(BaseValidatingContext context, string description) =>
        Refuse(context, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), description);

    public static void Throttled(BaseValidatingContext context, TimeSpan retryAfter, string description) =>
        Refuse(context, StatusCodes.Status429TooManyRequests, retryAfter, description);

    private static void Refuse(BaseValidatingContext context, int status, TimeSpan retryAfter, string description)
    {
        context.Transaction.SetProperty(PropertyName, new Refusal(status, retryAfter));
        context.Reject(Errors.TemporarilyUnavailable, description);
    }

    internal static Refusal? Of(OpenIddictServerTransaction transaction) => transaction.GetProperty<Refusal>(PropertyName);

    internal sealed record Refusal(int Status, TimeSpan RetryAfter);
}
