using System.CommandLine;
using AuthServer.Accounts;
using AuthServer.ApiKeys;

namespace AuthServer.Cli;

/// <summary><c>keys roll</c> and <c>keys end-grace</c>: a new secret for a key, the old one kept for a grace.</summary>
internal static class KeyRollCommands
{
    public static Command RollCommand(CliSession session)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key ID (ak_…)." };
        var grace = new Option<string?>("--grace")
        {
            Description = "How long the current secret keeps working beside the new one: 24h (the default), 7d at most, 90m, or 0 to stop it now.",
        };
        var command = new Command("roll", "Give a key a new secret, printed once; the current secret keeps working until the grace ends. " +
            "Rolling again during a grace stops the older secret at once.") { keyId, grace };
        session.Bind(command, async run =>
        {
            var chosen = run.Parse.GetValue(grace) is { } text ? GraceParser.Parse(text) : (TimeSpan?)null;
            var rolled = await run.Get<KeySecretRoller>().RollAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), chosen, CliSession.Operator, run.CancellationToken);
            run.Print(rolled, o =>
            {
                o.WriteLine($"Rolled the secret of key {rolled.Key.KeyId} \"{rolled.Key.Name}\"; the old secret works until {TextTable.Time(rolled.Key.PreviousSecret?.GraceEndsAt)}.");
                o.WriteLine("New secret (shown this once; store it now):");
                o.WriteLine(rolled.Secret);
            });
        });
        return command;
    }

    public static Command EndGraceCommand(CliSession session)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key ID (ak_…)." };
        var command = new Command("end-grace", "Stop the secret the last roll replaced, now, on every instance.") { keyId };
        session.Bind(command, async run =>
        {
            var key = await run.Get<KeySecretRoller>().EndGraceAsync(AccountScope.Every, run.Parse.GetRequiredValue(keyId), CliSession.Operator, run.CancellationToken);
            run.Print(key, o => o.WriteLine($"Key {key.KeyId}: the old secret no longer works; only the current one does."));
        });
        return command;
    }

    /// <summary>The lines <c>keys show</c> adds for a rolled key.</summary>
    public static void WritePreviousSecret(TextWriter output, ApiKeyView key)
    {
        if (key.PreviousSecret is { } previous)
        {
            output.WriteLine($"  old secret: {(previous.Accepted ? "works until" : "stopped")} {TextTable.Time(previous.GraceEndsAt)}; last used {TextTable.Time(previous.LastUsedAt, "never")}");
        }
    }
}
