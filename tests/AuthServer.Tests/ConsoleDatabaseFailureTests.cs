using System.Diagnostics;
using System.Net;
using AuthServer.Audit;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// A console action changes exactly what it says and nothing else, also when the database fails midway: the person
/// sees a 503 page, and afterwards the account is as it was (no key, no half-revoked key, no role change, no audit
/// entry). The failures: a command lost in the middle of an action's transaction, a database that refuses
/// connections, and one that accepts them and never answers (PostgreSQL behind <see cref="DatabaseProxy"/>).
/// </summary>
public sealed class ConsoleDatabaseFailureTests(ConsoleDatabaseFailureTests.World world) : IClassFixture<ConsoleDatabaseFailureTests.World>
{
    private static string NewEmail() => $"f{Guid.NewGuid():N}"[..12] + "@example.com";

    private static bool AuditInsert(string sql) => sql.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal);

    private async Task<(ConsoleClient Admin, string AccountId)> AdministratorOfNewAccountAsync()
    {
        var account = await world.CreateAccountAsync($"Faults {Guid.NewGuid():N}"[..20]);
        return (await ConsoleClient.For(world).JoinAsync(world, account.Id, NewEmail(), MemberRole.Administrator), account.Id);
    }

    private Task<List<string>> AuditActionsAsync(string accountId) =>
        world.Provision.InScope<Data.AuthDbContext, List<string>>(db =>
            db.AuditEntries.Where(e => e.AccountId == accountId).Select(e => e.Action).ToListAsync());

    private static async Task AssertUnavailablePageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var page = await ConsoleClient.TextOfAsync(response);
        Assert.Contains("AuthServer cannot reach its database right now", page);
        Assert.Contains("nothing was changed halfway", page);
        Assert.DoesNotContain("Exception", page);
        Assert.DoesNotContain("authsk_", page); // no secret, of any shape
    }

    [Fact]
    public async Task A_key_creation_that_loses_the_database_midway_shows_the_503_page_and_leaves_no_key_and_the_same_form_works_after()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var form = $"/console/accounts/{accountId}/keys/new";
        var fields = new Dictionary<string, string> { ["Name"] = "half made", ["Scopes"] = "invoices:read", ["FormId"] = Guid.NewGuid().ToString("N") };
        var antiforgery = await admin.AntiforgeryTokenAsync(form);
        var applicationsBefore = await world.Provision.InScope<Data.AuthDbContext, int>(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().CountAsync());

        world.Factory.Faults.FailNext(AuditInsert); // after the key's OpenIddict client was written, in the same transaction
        await AssertUnavailablePageAsync(await admin.PostAsync(form, fields, antiforgery));
        Assert.False(world.Factory.Faults.Pending);

        Assert.Contains("No keys here yet", await admin.PageAsync($"/console/accounts/{accountId}/keys"));
        Assert.Equal(applicationsBefore, await world.Provision.InScope<Data.AuthDbContext, int>(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().CountAsync()));
        Assert.DoesNotContain(AuditActions.KeyCreated, await AuditActionsAsync(accountId));

        var again = await admin.PostAsync(form, fields, antiforgery); // what "try again" sends: the same form
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Matches(Secrets.ClientSecret.Prefix + Secrets.ClientSecret.EnvironmentPattern + "[0-9A-Za-z]{49}", await ConsoleClient.TextOfAsync(again));
    }

    [Fact]
    public async Task Rename_refresh_and_revoke_that_lose_the_database_midway_change_nothing()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var expiresAt = DateTime.UtcNow.AddDays(10);
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt, accountId, "steady");
        var keys = $"/console/accounts/{accountId}/keys";
        var revoke = $"{keys}/{key.Key.KeyId}/revoke";
        var auditBefore = await AuditActionsAsync(accountId);

        world.Factory.Faults.FailNext(AuditInsert);
        await AssertUnavailablePageAsync(await admin.SubmitAsync(keys, keys + "?handler=Rename", new() { ["keyId"] = key.Key.KeyId, ["name"] = "renamed" }));
        world.Factory.Faults.FailNext(AuditInsert);
        await AssertUnavailablePageAsync(await admin.SubmitAsync(keys, keys + "?handler=Refresh", new() { ["keyId"] = key.Key.KeyId, ["days"] = "30" }));
        // The last command of a revocation: the key is marked revoked and audited before its client is deleted.
        world.Factory.Faults.FailNext(sql => sql.Contains("DELETE FROM \"OpenIddictApplications\"", StringComparison.Ordinal));
        await AssertUnavailablePageAsync(await admin.SubmitAsync(revoke, revoke, new() { ["ConfirmName"] = "steady" }));

        var stored = await world.Provision.InScope<Data.AuthDbContext, ApiKeys.ApiKey>(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Key.KeyId));
        Assert.Equal("steady", stored.Name);
        Assert.Null(stored.RevokedAt);
        Assert.Equal(expiresAt, stored.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(auditBefore, await AuditActionsAsync(accountId));
        await Task.Delay(300); // past the change feed's poll: a revocation that leaked would be seen by now
        using var token = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Inviting_changing_a_role_and_removing_a_member_that_lose_the_database_midway_change_nothing()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var memberEmail = NewEmail();
        using var member = await ConsoleClient.For(world).JoinAsync(world, accountId, memberEmail, MemberRole.Member);
        var members = $"/console/accounts/{accountId}/members";
        var memberId = (await world.Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(accountId, CancellationToken.None))).Single(m => m.Email == memberEmail).UserId;
        var auditBefore = await AuditActionsAsync(accountId);

        world.Factory.Faults.FailNext(AuditInsert);
        await AssertUnavailablePageAsync(await admin.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "never@example.com", ["role"] = "Member" }));
        // A role change and a removal end by renewing the person's security stamp, in the same transaction.
        world.Factory.Faults.FailNext(sql => sql.StartsWith("UPDATE \"AspNetUsers\"", StringComparison.Ordinal));
        await AssertUnavailablePageAsync(await admin.SubmitAsync(members, members + "?handler=Role", new() { ["userId"] = memberId, ["role"] = "Administrator" }));
        world.Factory.Faults.FailNext(sql => sql.StartsWith("UPDATE \"AspNetUsers\"", StringComparison.Ordinal));
        await AssertUnavailablePageAsync(await admin.SubmitAsync(members, members + "?handler=Remove", new() { ["userId"] = memberId }));

        var after = await world.Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(accountId, CancellationToken.None));
        Assert.Equal(MemberRole.Member, after.Single(m => m.Email == memberEmail).Role);
        Assert.Empty(await world.Provision.InScope<InvitationService, IReadOnlyList<InvitationView>>(i => i.ListOpenAsync(accountId, CancellationToken.None)));
        Assert.Equal(auditBefore, await AuditActionsAsync(accountId));
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/console/accounts/{accountId}/keys")).StatusCode); // still signed in, still a member
        Assert.Equal(HttpStatusCode.Forbidden, (await member.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "x@example.com", ["role"] = "Member" })).StatusCode);
    }

    [Fact]
    public async Task With_the_database_refused_or_stalled_a_signed_in_person_gets_the_503_page_within_the_bound_and_the_console_recovers()
    {
        var (admin, accountId) = await AdministratorOfNewAccountAsync();
        using var _ = admin;
        var keys = $"/console/accounts/{accountId}/keys";
        var form = $"/console/accounts/{accountId}/keys/new";
        var antiforgery = await admin.AntiforgeryTokenAsync(form);
        var fields = new Dictionary<string, string> { ["Name"] = "while down", ["Scopes"] = "invoices:read" };

        foreach (var (fault, start) in new (string, Action)[] { ("stalled", world.Proxy.Stall), ("refused", world.Proxy.Refuse) })
        {
            start();
            try
            {
                foreach (var send in new Func<Task<HttpResponseMessage>>[] { () => admin.GetAsync(keys), () => admin.PostAsync(form, fields, antiforgery) })
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await send();
                    Assert.True(clock.Elapsed < World.Bound, $"{fault}: {clock.Elapsed.TotalMilliseconds:F0} ms");
                    await AssertUnavailablePageAsync(response);
                }
            }
            finally
            {
                world.Proxy.Resume();
            }
        }

        var list = await RecoveredPageAsync(admin, keys);
        Assert.Contains("No keys here yet", list);
    }

    private static async Task<string> RecoveredPageAsync(ConsoleClient person, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await person.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await ConsoleClient.TextOfAsync(response);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The console waits for the database as long as its provider does (unlike the OAuth endpoints, which answer within
    /// Clients:LoadTimeout): here the timeouts README recommends for PostgreSQL — a 2 s command timeout, a 2 s connect
    /// timeout and no wait for a stalled server to confirm a cancellation.
    /// </summary>
    public sealed class World() : ProxiedPostgresWorld(
        new Dictionary<string, string?> { ["Database:CommandTimeoutSeconds"] = "2" },
        connection => { connection.Timeout = 2; connection.CancellationTimeout = -1; })
    {
        /// <summary>What a console request may take while the database is stalled: a few commands' timeouts.</summary>
        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    }
}
