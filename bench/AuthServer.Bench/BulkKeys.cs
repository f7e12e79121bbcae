using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Secrets;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Bench;

/// <summary>
/// More keys for an account, as copies of the rows that <see cref="ApiKeyCreator"/> wrote for its first key (same
/// OpenIddict client type, permissions and settings; same scopes), each with a new key ID from
/// <see cref="ApiKeyId"/> and a new secret from <see cref="ClientSecret.Generate"/> stored as
/// <see cref="ClientSecret.Hash"/>: what the creator would have stored, in one transaction per account.
/// </summary>
internal static class BulkKeys
{
    public static async Task<List<(int Index, Credentials Key)>> CloneAsync(AuthDbContext db, string accountId, int firstIndex, int count, CancellationToken cancellationToken)
    {
        var templateKey = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).OrderBy(k => k.CreatedAt).FirstAsync(cancellationToken);
        var templateClient = await db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking()
            .FirstAsync(a => a.ClientId == templateKey.Id, cancellationToken);

        var created = new List<(int, Credentials)>(count);
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var keyId = ApiKeyId.New();
            var secret = ClientSecret.Generate();
            var name = $"bench key {firstIndex + i}";
            db.Add(new OpenIddictEntityFrameworkCoreApplication
            {
                ApplicationType = templateClient.ApplicationType,
                ClientId = keyId,
                ClientSecret = ClientSecret.Hash(secret),
                ClientType = templateClient.ClientType,
                ConcurrencyToken = Guid.NewGuid().ToString(),
                ConsentType = templateClient.ConsentType,
                DisplayName = name,
                Permissions = templateClient.Permissions,
                Properties = templateClient.Properties,
                Requirements = templateClient.Requirements,
                Settings = templateClient.Settings,
            });
            db.ApiKeys.Add(new ApiKey
            {
                Id = keyId,
                AccountId = accountId,
                Name = name,
                Scopes = [.. templateKey.Scopes],
                SecretHint = ClientSecret.Hint(secret),
                SecretHash = ClientSecret.Hash(secret),
                CreatedAt = now,
                CreatedBy = templateKey.CreatedBy,
            });
            created.Add((firstIndex + i, new Credentials(keyId, secret)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return created;
    }
}
