using System.Diagnostics;
using System.Net;
using AuthServer.Tests.Infrastructure;
using Npgsql;

namespace AuthServer.Tests;

/// <summary>
/// A change row whose ID was handed out early but whose transaction commits late, after many later changes,
/// must still reach every instance (PostgreSQL, where IDs become visible at commit, not in order).
/// </summary>
public sealed class ChangeFeedTests() : TwoInstanceTests(new PostgresWorld())
{
    [Fact]
    public async Task A_revocation_committed_after_150_later_changes_still_reaches_the_other_instance()
    {
        var key = await A.CreateKeyAsync(["invoices:read"]);
        await HttpB.GetAccessTokenAsync(key.Key.KeyId, key.Secret); // B has the key cached

        // The revocation takes its change ID now but commits only after 150 key creations have committed theirs.
        await using var connection = new NpgsqlConnection(A.Factory.DatabaseSettings["Database:ConnectionString"]);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, """INSERT INTO "ClientChanges" ("ClientId", "ChangedAt") VALUES (@id, now())""", key.Key.KeyId);
        await Execute(connection, transaction, """UPDATE "ApiKeys" SET "RevokedAt" = now(), "RevokedBy" = 'test' WHERE "Id" = @id""", key.Key.KeyId);
        await Execute(connection, transaction, """DELETE FROM "OpenIddictApplications" WHERE "ClientId" = @id""", key.Key.KeyId);
        var account = await A.CreateAccountAsync("Busy", keyLimit: 1000);
        for (var i = 0; i < 150; i++)
        {
            await A.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // B's feed has read all of those by now
        await transaction.CommitAsync();

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await HttpB.RequestTokenAsync(key.Key.KeyId, key.Secret);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B accepted the revoked key for {clock.ElapsedMilliseconds} ms after the commit");
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string id)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
    }
}
