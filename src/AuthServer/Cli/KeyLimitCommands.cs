using System.CommandLine;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Limits;

namespace AuthServer.Cli;

/// <summary><c>keys limits</c> and the limit options of <c>keys create</c>; the values are validated by <see cref="KeyLimitsRule"/>, as at the admin API.</summary>
internal static class KeyLimitCommands
{
    public static Option<int?> RateOption() => new("--tokens-per-minute")
    {
        Description = $"The key's own limit of token requests per minute, 1 to {KeyLimitsRule.MaxTokensPerMinute} (default: the server's Throttling:TokensPerKey).",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var rate))
            {
                return rate; // its range is KeyLimitsRule's, as at the admin API
            }

            result.AddError($"'{text}' is not a number of token requests per minute (1 to {KeyLimitsRule.MaxTokensPerMinute}).");
            return null;
        },
    };

    public static Option<string[]> AllowOption() => new("--allow")
    {
        Description = "A CIDR block or address token requests must come from, e.g. 203.0.113.0/24 or 2001:db8::/32 (repeatable; default: any address).",
    };

    public static Command LimitsCommand(CliSession session)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key ID (ak_…)." };
        var rate = RateOption();
        var defaultRate = new Option<bool>("--default-rate") { Description = "Return to the server's token limit." };
        var allow = AllowOption();
        allow.Description = "Replace the allow-list with these CIDR blocks or addresses (repeatable).";
        var anyAddress = new Option<bool>("--any-address") { Description = "Remove the allow-list: token requests from any address." };
        var command = new Command("limits",
            "Show or change a key's limits (tokens per minute, allowed addresses); what is not given stays as it is. Applied by every instance within a second.")
        {
            keyId, rate, defaultRate, allow, anyAddress,
        };
        session.Bind(command, async run =>
        {
            var id = run.Parse.GetRequiredValue(keyId);
            var current = await run.Get<ApiKeyQueries>().GetAsync(AccountScope.Every, id, run.CancellationToken);
            var newRate = run.Parse.GetValue(rate);
            var newAllow = run.Parse.GetValue(allow) ?? [];
            var key = current;
            if (newRate is not null || run.Parse.GetValue(defaultRate) || newAllow.Length > 0 || run.Parse.GetValue(anyAddress))
            {
                key = await run.Get<KeyLimitsService>().SetAsync(AccountScope.Every, id,
                    run.Parse.GetValue(defaultRate) ? null : newRate ?? current.TokensPerMinute,
                    run.Parse.GetValue(anyAddress) ? [] : newAllow.Length > 0 ? newAllow : current.AllowedAddresses,
                    CliSession.Operator, run.CancellationToken);
            }

            run.Print(key, o => WriteLimits(o, key));
        });
        command.Validators.Add(result =>
        {
            if (result.GetResult(rate) is not null && result.GetValue(defaultRate))
            {
                result.AddError("Give either --tokens-per-minute or --default-rate, not both.");
            }

            if (result.GetResult(allow) is not null && result.GetValue(anyAddress))
            {
                result.AddError("Give either --allow or --any-address, not both.");
            }
        });
        return command;
    }

    public static void WriteLimits(TextWriter output, ApiKeyView key)
    {
        output.WriteLine($"  rate:      {(key.TokensPerMinute is { } rate ? $"{rate} token requests per minute" : "the server's limit")}");
        output.WriteLine($"  addresses: {(key.AllowedAddresses is { Count: > 0 } blocks ? string.Join(" ", blocks) : "any")}");
    }
}
