using OpenIddict.Validation;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>Marks a request whose API key the AuthServer refused to judge for now (429), and for how long.</summary>
internal static class ApiKeyThrottled
{
    private static readonly string Property = typeof(ApiKeyThrottled).FullName!;

    public static void Mark(OpenIddictValidationTransaction transaction, TimeSpan retryAfter) => transaction.SetProperty(Property, new Box(retryAfter));

    public static TimeSpan? Of(OpenIddictValidationTransaction transaction) => transaction.GetProperty<Box>(Property)?.RetryAfter;

    private sealed record Box(TimeSpan RetryAfter);
}
