using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Browser;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Leaks;

/// <summary>One secret a scanner found, as GitHub reports it.</summary>
public sealed record ReportedSecret(string? Token, string? Type, string? Url, string? Source);

/// <summary>The answer for one reported secret, in GitHub's names: identified by its SHA-256 (hex), never echoed.</summary>
public sealed record LeakVerdict(
    [property: JsonPropertyName("token_hash")] string TokenHash,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("label")] string Label);

/// <summary>
/// Acts on a verified report: each reported secret that is the secret of a key that is not revoked, or its signing
/// secret, is a true positive, recorded as <c>key.leak_reported</c> (audit and event, with where it was found) and, by
/// <see cref="LeakReportOptions.Action"/>, the key revoked (or, for a signing secret, the signing secret withdrawn:
/// the key and its publishable key keep working, identity tokens signed with it stop). Anything else (not an
/// AuthServer secret, a wrong checksum, an unknown or revoked key) is a false positive and changes nothing.
/// </summary>
public sealed class LeakReportService(
    AuthDbContext db,
    AuditLog audit,
    ApiKeyLifecycle lifecycle,
    PublishableKeyService browser,
    TimeProvider time,
    IOptions<LeakReportOptions> options)
{
    public const string TruePositive = "true_positive";
    public const string FalsePositive = "false_positive";

    /// <summary>True when a report with this body was acted on within the replay window.</summary>
    public async Task<bool> WasReceivedAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.ReplayWindow;
        await db.LeakReportReceipts.Where(r => r.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        var hash = HashOf(body);
        return await db.LeakReportReceipts.AnyAsync(r => r.BodyHash == hash, cancellationToken);
    }

    /// <summary>
    /// Remembers a report once it was acted on, not before: a report whose acting failed (the database went away) can
    /// be sent again. Acting twice at once (the same report at two instances) only repeats what is idempotent.
    /// </summary>
    public async Task RememberAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        db.LeakReportReceipts.Add(new LeakReportReceipt { BodyHash = HashOf(body), ReceivedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // the same report, acted on by another instance at the same moment
        }
    }

    private static string HashOf(ReadOnlyMemory<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body.Span));

    public async Task<IReadOnlyList<LeakVerdict>> ActAsync(IReadOnlyList<ReportedSecret> secrets, Actor actor, CancellationToken cancellationToken)
    {
        var verdicts = new List<LeakVerdict>(secrets.Count);
        foreach (var secret in secrets)
        {
            var token = secret.Token ?? "";
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
            var live = ClientSecret.IsWellFormed(token) && await ActOnAsync(token, secret, actor, cancellationToken);
            verdicts.Add(new LeakVerdict(hash, secret.Type, live ? TruePositive : FalsePositive));
        }

        return verdicts;
    }

    private async Task<bool> ActOnAsync(string token, ReportedSecret secret, Actor actor, CancellationToken cancellationToken)
    {
        var stored = ClientSecret.Hash(token);
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.SecretHash == stored && k.RevokedAt == null)
            .Select(k => new { k.Id, k.AccountId, k.SecretHash }).FirstOrDefaultAsync(cancellationToken);
        if (key is not null && key.SecretHash == stored)
        {
            await RecordAsync(key.Id, key.AccountId, "secret", secret, actor, cancellationToken);
            await WhenRevokingAsync(() => lifecycle.RevokeAsync(AccountScope.Every, key.Id, actor, cancellationToken));
            return true;
        }

        if (await browser.FindBySigningSecretAsync(token, cancellationToken) is { } signing)
        {
            await RecordAsync(signing.KeyId, signing.AccountId, "signing_secret", secret, actor, cancellationToken);
            await WhenRevokingAsync(() => browser.WithdrawSigningSecretAsync(AccountScope.Every, signing.KeyId, actor, cancellationToken));
            return true;
        }

        return false;
    }

    private async Task RecordAsync(string keyId, string accountId, string credential, ReportedSecret secret, Actor actor, CancellationToken cancellationToken)
    {
        audit.Record(actor, AuditActions.KeyLeakReported, keyId, accountId,
            new { Credential = credential, secret.Type, secret.Url, secret.Source, Action = options.Value.Action.ToString().ToLowerInvariant() });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task WhenRevokingAsync(Func<Task> revoke)
    {
        if (options.Value.Action != LeakAction.Revoke)
        {
            return;
        }

        try
        {
            await revoke();
        }
        catch (Exception exception) when (exception is ConflictException or NotFoundException)
        {
            // revoked or removed meanwhile, by someone else or by the same secret reported twice in this report
        }
    }
}
