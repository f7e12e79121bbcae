using System.CommandLine;
using AuthServer.Accounts;
using AuthServer.Browser;

namespace AuthServer.Cli;

/// <summary><c>keys publishable …</c> and <c>keys signing-secret</c>: a key's browser mode, as the admin API and the console manage it.</summary>
internal static class PublishableKeyCommands
{
    public static Command Create(CliSession session)
    {
        var publishable = new Command("publishable", "A key's publishable key (pk_…, safe in web pages) and the origins it may be used from: show, set-origins, regenerate, remove.");
        publishable.Add(ShowCommand(session));
        publishable.Add(SetOriginsCommand(session));
        publishable.Add(RegenerateCommand(session));
        publishable.Add(RemoveCommand(session));
        return publishable;
    }

    public static Command SigningSecretCommand(CliSession session)
    {
        var keyId = KeyArgument();
        var command = new Command("signing-secret",
            "Generate the key's signing secret, with which your backend signs identity tokens for its end users; it replaces any earlier one and is printed once.") { keyId };
        session.Bind(command, async run =>
        {
            var generated = await run.Get<PublishableKeyService>().GenerateSigningSecretAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), CliSession.Operator, run.CancellationToken);
            run.Print(generated, o =>
            {
                Write(o, generated.PublishableKey);
                o.WriteLine("Signing secret (shown this once; keep it on your backend, never in a page):");
                o.WriteLine(generated.SigningSecret);
            });
        });
        return command;
    }

    private static Command ShowCommand(CliSession session)
    {
        var keyId = KeyArgument();
        var command = new Command("show", "Show the key's publishable key, allowed origins and the scopes it reaches.") { keyId };
        session.Bind(command, async run =>
        {
            var view = await run.Get<PublishableKeyService>().GetAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), run.CancellationToken);
            run.Print(view, o => Write(o, view));
        });
        return command;
    }

    private static Command SetOriginsCommand(CliSession session)
    {
        var keyId = KeyArgument();
        var origins = new Option<string[]>("--origin")
        {
            Description = "An allowed origin (repeatable): https://app.example.com, http://localhost:3000, or https://*.example.com for its subdomains.",
        };
        var none = new Option<bool>("--none") { Description = "Allow no origin at all: no browser may use the publishable key." };
        var command = new Command("set-origins",
            "Set the origins the key's publishable key may be used from (replacing the list), giving the key a publishable key if it has none.") { keyId, origins, none };
        session.Bind(command, async run =>
        {
            var given = run.Parse.GetValue(origins) ?? [];
            if (given.Length == 0 && !run.Parse.GetValue(none))
            {
                throw new Failures.InvalidFieldException("--origin", "Name at least one --origin, or --none to allow no browser at all.");
            }

            var (view, created) = await run.Get<PublishableKeyService>().SetOriginsAsync(
                AccountScope.Every, run.Parse.GetRequiredValue(keyId), given, CliSession.Operator, run.CancellationToken);
            run.Print(view, o =>
            {
                o.WriteLine(created ? "The key now has a publishable key." : "Allowed origins set.");
                Write(o, view);
            });
        });
        return command;
    }

    private static Command RegenerateCommand(CliSession session)
    {
        var keyId = KeyArgument();
        var command = new Command("regenerate", "Replace the key's publishable key; the old one stops working on every instance within a second.") { keyId };
        session.Bind(command, async run =>
        {
            var view = await run.Get<PublishableKeyService>().RegenerateAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), CliSession.Operator, run.CancellationToken);
            run.Print(view, o => Write(o, view));
        });
        return command;
    }

    private static Command RemoveCommand(CliSession session)
    {
        var keyId = KeyArgument();
        var command = new Command("remove", "End the key's browser mode: its publishable key and signing secret are deleted.") { keyId };
        session.Bind(command, async run =>
        {
            var id = run.Parse.GetRequiredValue(keyId);
            await run.Get<PublishableKeyService>().RemoveAsync(AccountScope.Every, id, CliSession.Operator, run.CancellationToken);
            run.Print(new { keyId = id, publishableKey = (string?)null }, o => o.WriteLine($"Key {id} has no publishable key any more."));
        });
        return command;
    }

    private static Argument<string> KeyArgument() => new("key-id") { Description = "The API key (ak_…)." };

    private static void Write(TextWriter output, PublishableKeyView view)
    {
        output.WriteLine($"Publishable key {view.PublishableKey} of key {view.KeyId} ({view.Environment.ToString().ToLowerInvariant()})");
        output.WriteLine($"  origins:        {(view.AllowedOrigins.Count == 0 ? "none (no browser may use it)" : string.Join(" ", view.AllowedOrigins))}");
        output.WriteLine($"  scopes:         {(view.Scopes.Count == 0 ? "none (no scope of the key is publishable)" : string.Join(" ", view.Scopes))}");
        output.WriteLine($"  signing secret: {(view.HasSigningSecret ? "set " + TextTable.Time(view.SigningSecretCreatedAt) : "none")}");
    }
}
