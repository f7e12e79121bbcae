using System.CommandLine;
using AuthServer.Accounts;
using AuthServer.ApiKeys;

namespace AuthServer.Cli;

internal static class KeyCommands
{
    public static Command Create(CliSession session)
    {
        var keys = new Command("keys", "API keys, each test or live: create, list, show, rename, extend, direct-use, limits, revoke, roll, end-grace, and their browser mode (publishable, signing-secret).");
        keys.Add(CreateCommand(session));
        keys.Add(ListCommand(session));
        keys.Add(ShowCommand(session));
        keys.Add(RenameCommand(session));
        keys.Add(ExtendCommand(session));
        keys.Add(DirectUseCommand(session));
        keys.Add(KeyLimitCommands.LimitsCommand(session));
        keys.Add(RevokeCommand(session));
        keys.Add(KeyRollCommands.RollCommand(session));
        keys.Add(KeyRollCommands.EndGraceCommand(session));
        keys.Add(PublishableKeyCommands.Create(session));
        keys.Add(PublishableKeyCommands.SigningSecretCommand(session));
        return keys;
    }

    private static Command CreateCommand(CliSession session)
    {
        var account = new Option<string>("--account") { Description = "The account that owns the key.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the key holds (repeatable); fixed for the key's life.", Required = true };
        var name = new Option<string?>("--name") { Description = "A name to recognise the key by." };
        var expires = new Option<string?>("--expires") { Description = "When the key expires: 2027-01-31, 2027-01-31T12:00:00Z, or 90d / 12h / 30m from now." };
        var noDirectUse = new Option<bool>("--no-direct-use")
        {
            Description = "Resource servers may not accept the secret itself (x-api-key): the key only gets tokens.",
        };
        var environment = EnvironmentOption(
            "test (for trying things out) or live (production; the default). Shown in the secret's prefix, authsk_test_… or authsk_live_…; " +
            "test keys cannot hold live-only scopes.");
        var rate = KeyLimitCommands.RateOption();
        var allow = KeyLimitCommands.AllowOption();
        var command = new Command("create", "Create a key. Its secret is printed once.") { account, scopes, name, expires, environment, noDirectUse, rate, allow };
        session.Bind(command, async run =>
        {
            var now = run.Get<TimeProvider>().GetUtcNow().UtcDateTime;
            var expiry = run.Parse.GetValue(expires) is { } text ? ExpiryParser.Parse(text, now) : (DateTime?)null;
            var created = await run.Get<ApiKeyCreator>().CreateAsync(
                new CreateApiKeyRequest(run.Parse.GetRequiredValue(account), run.Parse.GetValue(name), run.Parse.GetRequiredValue(scopes), expiry,
                    run.Parse.GetValue(environment), DirectUse: run.Parse.GetValue(noDirectUse) ? false : null,
                    TokensPerMinute: run.Parse.GetValue(rate), AllowedAddresses: run.Parse.GetValue(allow) is { Length: > 0 } blocks ? blocks : null),
                CliSession.Operator,
                run.CancellationToken);
            run.Print(created, o =>
            {
                WriteKey(o, created.Key, "Created key");
                o.WriteLine("Secret (shown this once; store it now):");
                o.WriteLine(created.Secret);
            });
        });
        return command;
    }

    private static Command ListCommand(CliSession session)
    {
        var account = new Option<string?>("--account") { Description = "Only this account's keys (default: all accounts)." };
        var status = new Option<ApiKeyStatus?>("--status")
        {
            Description = "Only keys with this status: active, expired or revoked.",
            CustomParser = ParseStatus,
        };
        var environment = EnvironmentOption("Only keys of this environment: test or live (default: both).");
        var skip = new Option<int>("--skip") { Description = "Skip this many keys (newest first).", DefaultValueFactory = _ => 0 };
        var take = new Option<int>("--take") { Description = $"Show at most this many keys (1-{Data.Paging.MaxPageSize}).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List keys, newest first: ID, name, environment, secret hint, scopes, status, dates, publishable key.") { account, status, environment, skip, take };
        session.Bind(command, async run =>
        {
            var scope = run.Parse.GetValue(account) is { } accountId ? AccountScope.Only(accountId) : AccountScope.Every;
            var page = await run.Get<ApiKeyQueries>().ListAsync(
                scope, run.Parse.GetValue(status), run.Parse.GetValue(skip), run.Parse.GetValue(take), run.CancellationToken, run.Parse.GetValue(environment));
            var list = page.Items;
            run.Print(list, o => TextTable.Write(o, ["KEY ID", "ACCOUNT", "NAME", "ENV", "SECRET", "SCOPES", "STATUS", "CREATED", "EXPIRES", "LAST USED", "OLD SECRET UNTIL", "OLD LAST USED", "PUBLISHABLE KEY"],
                list.Select(k => (IReadOnlyList<string>)[
                    k.KeyId, k.AccountId, k.Name, k.Environment.Name(), k.SecretHint, string.Join(",", k.Scopes), k.Status.ToString().ToLowerInvariant(),
                    TextTable.Time(k.CreatedAt), TextTable.Time(k.ExpiresAt, "never"), TextTable.Time(k.LastUsedAt, "never"),
                    k.PreviousSecret is { Accepted: true } old ? TextTable.Time(old.GraceEndsAt) : "-",
                    k.PreviousSecret is { Accepted: true } used ? TextTable.Time(used.LastUsedAt, "never") : "-", k.PublishableKey ?? "-"])));
            if (page.HasMore)
            {
                // With --json the note goes to stderr, so that stdout stays one JSON array.
                (run.Json ? run.Session.Error : run.Out).WriteLine($"More keys exist: see them with --skip {page.Skip + page.Take} --take {page.Take}.");
            }
        });
        return command;
    }

    private static ApiKeyStatus? ParseStatus(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Enum.TryParse<ApiKeyStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status))
        {
            return status;
        }

        result.AddError($"'{text}' is not a key status: use active, expired or revoked.");
        return null;
    }

    private static Option<KeyEnvironment?> EnvironmentOption(string description) => new("--environment")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (KeyEnvironments.TryParse(text, out var environment))
            {
                return environment;
            }

            result.AddError($"'{text}' is not a key environment: use {KeyEnvironments.Names}.");
            return null;
        },
    };

    private static Command ShowCommand(CliSession session)
    {
        var keyId = KeyIdArgument();
        var command = new Command("show", "Show one key.") { keyId };
        session.Bind(command, async run =>
        {
            var key = await run.Get<ApiKeyQueries>().GetAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), run.CancellationToken);
            run.Print(key, o => WriteKey(o, key, "Key"));
        });
        return command;
    }

    private static Command RenameCommand(CliSession session)
    {
        var keyId = KeyIdArgument();
        var name = new Argument<string>("new-name") { Description = "The key's new name." };
        var command = new Command("rename", "Rename a key (its secret and scopes do not change).") { keyId, name };
        session.Bind(command, async run =>
        {
            var key = await run.Get<ApiKeyLifecycle>().RenameAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), run.Parse.GetRequiredValue(name), CliSession.Operator, run.CancellationToken);
            run.Print(key, o => o.WriteLine($"Renamed key {key.KeyId} to \"{key.Name}\"."));
        });
        return command;
    }

    private static Command ExtendCommand(CliSession session)
    {
        var keyId = KeyIdArgument();
        var expires = new Option<string>("--expires") { Description = "The new expiry: 2027-01-31, 2027-01-31T12:00:00Z, or 90d / 12h from now.", Required = true };
        var command = new Command("extend", "Move a key's expiry later; the secret stays the same.") { keyId, expires };
        session.Bind(command, async run =>
        {
            var now = run.Get<TimeProvider>().GetUtcNow().UtcDateTime;
            var key = await run.Get<ApiKeyLifecycle>().ExtendAsync(
                AccountScope.Every, run.Parse.GetRequiredValue(keyId), ExpiryParser.Parse(run.Parse.GetRequiredValue(expires), now), CliSession.Operator, run.CancellationToken);
            run.Print(key, o => o.WriteLine($"Key {key.KeyId} now expires {TextTable.Time(key.ExpiresAt)}."));
        });
        return command;
    }

    private static Command DirectUseCommand(CliSession session)
    {
        var keyId = KeyIdArgument();
        var allowed = new Argument<string>("on|off") { Description = "on: resource servers may accept the secret itself (x-api-key); off: only tokens obtained with it." };
        allowed.AcceptOnlyFromAmong("on", "off");
        var command = new Command("direct-use", "Allow or forbid resource servers to accept a key's secret itself; every instance honours it within a second.") { keyId, allowed };
        session.Bind(command, async run =>
        {
            var on = run.Parse.GetRequiredValue(allowed) == "on";
            var key = await run.Get<ApiKeyLifecycle>().SetDirectUseAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), on, CliSession.Operator, run.CancellationToken);
            run.Print(key, o => o.WriteLine(key.DirectUse
                ? $"Key {key.KeyId}: resource servers may accept its secret directly."
                : $"Key {key.KeyId}: resource servers refuse its secret; it only gets tokens."));
        });
        return command;
    }

    private static Command RevokeCommand(CliSession session)
    {
        var keyId = KeyIdArgument();
        var command = new Command("revoke", "Revoke a key at once, on every instance. This cannot be undone.") { keyId };
        session.Bind(command, async run =>
        {
            var key = await run.Get<ApiKeyLifecycle>().RevokeAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), CliSession.Operator, run.CancellationToken);
            run.Print(key, o => o.WriteLine($"Revoked key {key.KeyId} \"{key.Name}\"; it can no longer get tokens."));
        });
        return command;
    }

    private static Argument<string> KeyIdArgument() => new("key-id") { Description = "The key ID (ak_…)." };

    private static void WriteKey(TextWriter output, ApiKeyView key, string heading)
    {
        output.WriteLine($"{heading} {key.KeyId} \"{key.Name}\"");
        output.WriteLine($"  account:   {key.AccountId}");
        output.WriteLine($"  env:       {key.Environment.Name()}");
        output.WriteLine($"  status:    {key.Status.ToString().ToLowerInvariant()}");
        output.WriteLine($"  scopes:    {string.Join(" ", key.Scopes)}");
        output.WriteLine($"  secret:    {key.SecretHint}");
        output.WriteLine($"  created:   {TextTable.Time(key.CreatedAt)} by {key.CreatedBy}");
        output.WriteLine($"  expires:   {TextTable.Time(key.ExpiresAt, "never")}");
        output.WriteLine($"  last used: {TextTable.Time(key.LastUsedAt, "never")}");
        KeyRollCommands.WritePreviousSecret(output, key);
        output.WriteLine($"  direct:    {(key.DirectUse ? "usable directly at resource servers (x-api-key)" : "tokens only")}");
        KeyLimitCommands.WriteLimits(output, key);
        if (key.PublishableKey is not null)
        {
            output.WriteLine($"  publishable: {key.PublishableKey}");
        }

        if (key.RevokedAt is not null)
        {
            output.WriteLine($"  revoked:   {TextTable.Time(key.RevokedAt)} by {key.RevokedBy}");
        }
    }
}
