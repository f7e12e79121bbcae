using AuthServer.Failures;

namespace AuthServer.Limits;

/// <summary>A key's own limits, validated: tokens per minute (null: the server's <c>Throttling:TokensPerKey</c>) and its allow-list.</summary>
public sealed record KeyLimits(int? TokensPerMinute, AddressAllowList AllowedAddresses)
{
    public static KeyLimits Default { get; } = new(null, AddressAllowList.Any);
}

/// <summary>The one validation of a key's limits, for creation and change alike (admin API, CLI, console).</summary>
public static class KeyLimitsRule
{
    public const string RateField = "tokensPerMinute";
    public const int MaxTokensPerMinute = 100_000;

    /// <exception cref="InvalidFieldException">The rate is not 1 to <see cref="MaxTokensPerMinute"/>, or an address entry is wrong.</exception>
    public static KeyLimits Validate(int? tokensPerMinute, IEnumerable<string?>? allowedAddresses)
    {
        if (tokensPerMinute is < 1 or > MaxTokensPerMinute)
        {
            throw new InvalidFieldException(RateField,
                $"tokensPerMinute is 1 to {MaxTokensPerMinute} (or null for the server's default); {tokensPerMinute} is not.");
        }

        return new KeyLimits(tokensPerMinute, AddressAllowList.Parse(allowedAddresses));
    }
}
