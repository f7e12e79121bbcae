using System.Net;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>Invitations, sign-in and memberships, as a person meets them at <c>/console</c> over HTTP.</summary>
public sealed class ConsolePeopleTests(TestWorld world) : IClassFixture<TestWorld>
{
    private static string NewEmail() => $"p{Guid.NewGuid():N}"[..12] + "@example.com";

    [Fact]
    public async Task An_invitation_link_signs_the_person_up_once_and_cannot_be_replayed()
    {
        using var first = ConsoleClient.For(world);
        var email = NewEmail();
        var link = await ConsoleClient.InviteAsync(world, world.Acme.Id, email, MemberRole.Administrator);
        Assert.Contains(email, await first.PageAsync(link));

        var accepted = await first.SubmitAsync(link, link, new() { ["DisplayName"] = "Ada", ["Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains($"Keys of {world.Acme.Name}", await first.PageAsync(accepted.Headers.Location!.ToString()));

        using var second = ConsoleClient.For(world);
        var replay = await second.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Contains("already used, it expired, or it was mistyped", await ConsoleClient.TextOfAsync(replay));
        Assert.DoesNotContain(world.Factory.Logs.Lines, line => line.Contains("authinv_", StringComparison.Ordinal)); // logged at Debug for everything
    }

    [Fact]
    public async Task A_guessed_or_altered_invitation_token_opens_nothing()
    {
        using var client = ConsoleClient.For(world);
        var link = await ConsoleClient.InviteAsync(world, world.Acme.Id, NewEmail(), MemberRole.Member);
        var altered = link[..^1] + (link[^1] == 'a' ? 'b' : 'a');
        foreach (var path in new[] { altered, "/console/invitation?token=authinv_guess", "/console/invitation" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Choose a password", await ConsoleClient.TextOfAsync(response));
        }
    }

    [Fact]
    public async Task An_expired_invitation_cannot_be_accepted()
    {
        using var client = ConsoleClient.For(world);
        var link = await ConsoleClient.InviteAsync(world, world.Acme.Id, NewEmail(), MemberRole.Member);
        await world.Provision.InScope<Data.AuthDbContext, int>(db =>
            db.Invitations.ExecuteUpdateAsync(set => set.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_short_password_is_refused_with_a_clear_message_and_the_link_still_works()
    {
        using var client = ConsoleClient.For(world);
        var link = await ConsoleClient.InviteAsync(world, world.Acme.Id, NewEmail(), MemberRole.Member);
        var refused = await client.SubmitAsync(link, link, new() { ["DisplayName"] = "Bob", ["Password"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at least 12 characters", await ConsoleClient.TextOfAsync(refused));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_checks_the_password_and_locks_after_five_failures()
    {
        var email = NewEmail();
        using (var joined = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member))
        {
        }

        using var client = ConsoleClient.For(world);
        var good = await client.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = email, ["Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);

        using var attacker = ConsoleClient.For(world);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = email, ["Password"] = "wrong password " + i });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var locked = await attacker.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = email, ["Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains("locked for 15 minutes", await ConsoleClient.TextOfAsync(locked));
    }

    [Fact]
    public async Task Wrong_passwords_at_an_invitation_for_an_existing_person_count_toward_the_same_lockout_as_signing_in()
    {
        var email = NewEmail();
        using (var joined = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member))
        {
        }

        var other = await world.CreateAccountAsync($"Second {Guid.NewGuid():N}"[..16]);
        var link = await ConsoleClient.InviteAsync(world, other.Id, email, MemberRole.Member);
        using var attacker = ConsoleClient.For(world);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.SubmitAsync(link, link, new() { ["Password"] = "wrong password " + i });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("That is not the password of", await ConsoleClient.TextOfAsync(wrong));
        }

        var refused = await attacker.SubmitAsync(link, link, new() { ["Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("this sign-in is locked", await ConsoleClient.TextOfAsync(refused));
        using var owner = ConsoleClient.For(world);
        var signIn = await owner.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = email, ["Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Contains("locked for 15 minutes", await ConsoleClient.TextOfAsync(signIn));
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync(link)).StatusCode); // the invitation is still open
    }

    [Fact]
    public async Task The_console_asks_a_visitor_to_sign_in()
    {
        using var client = ConsoleClient.For(world);
        var response = await client.GetAsync($"/console/accounts/{world.Acme.Id}/keys");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/console/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Removing_a_member_takes_effect_on_their_next_request()
    {
        using var admin = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, NewEmail(), MemberRole.Administrator);
        var memberEmail = NewEmail();
        using var member = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, memberEmail, MemberRole.Member);
        var keys = $"/console/accounts/{world.Acme.Id}/keys";
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(keys)).StatusCode);

        var members = $"/console/accounts/{world.Acme.Id}/members";
        var userId = (await world.Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(world.Acme.Id, CancellationToken.None))).Single(m => m.Email == memberEmail).UserId;
        var removed = await admin.SubmitAsync(members, members + "?handler=Remove", new() { ["userId"] = userId });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains("Removed from the account", await ConsoleClient.TextOfAsync(removed));

        var after = await member.GetAsync(keys);
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_role_change_takes_effect_on_the_next_request_and_the_last_administrator_stays()
    {
        var account = await world.CreateAccountAsync($"Roles {Guid.NewGuid():N}"[..16]);
        var adminEmail = NewEmail();
        using var admin = await ConsoleClient.For(world).JoinAsync(world, account.Id, adminEmail, MemberRole.Administrator);
        var members = $"/console/accounts/{account.Id}/members";
        var adminId = (await world.Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(account.Id, CancellationToken.None))).Single().UserId;

        var lastOne = await admin.SubmitAsync(members, members + "?handler=Role", new() { ["userId"] = adminId, ["role"] = "Member" });
        Assert.Equal(HttpStatusCode.Conflict, lastOne.StatusCode);
        Assert.Contains("only administrator", await ConsoleClient.TextOfAsync(lastOne));

        var otherEmail = NewEmail();
        using var other = await ConsoleClient.For(world).JoinAsync(world, account.Id, otherEmail, MemberRole.Administrator);
        var demoted = await admin.SubmitAsync(members, members + "?handler=Role", new() { ["userId"] = adminId, ["role"] = "Member" });
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);

        // The demoted person's session ends with the security stamp; signed in again, they are a member.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.GetAsync(members)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = adminEmail, ["Password"] = "correct horse battery" })).StatusCode);
        var invite = await admin.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "x@example.com", ["role"] = "Member" });
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
    }

    [Fact]
    public async Task An_operator_granted_at_the_cli_manages_every_account_in_the_console()
    {
        var email = NewEmail();
        var elsewhere = await world.CreateAccountAsync($"Ops {Guid.NewGuid():N}"[..14]);
        using var person = await ConsoleClient.For(world).JoinAsync(world, elsewhere.Id, email, MemberRole.Member);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync($"/console/accounts/{world.Acme.Id}/keys")).StatusCode);

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await Cli.AuthServerCli.RunAsync(["users", "grant-operator", "--email", email], world.Services, output, error));

        // From the next request on, without signing in again:
        Assert.Contains(world.Acme.Name, await person.PageAsync("/console"));
        var members = $"/console/accounts/{world.Acme.Id}/members";
        var invited = await person.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "by.operator@example.com", ["role"] = "Administrator" });
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync("/console/accounts/acct_nosuchaccount/keys")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_invites_a_member_and_the_link_is_shown_once()
    {
        using var admin = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, NewEmail(), MemberRole.Administrator);
        var members = $"/console/accounts/{world.Acme.Id}/members";
        var invited = await admin.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "new.member@example.com", ["role"] = "Member" });
        var page = await ConsoleClient.TextOfAsync(invited);
        Assert.Contains("/console/invitation?token=authinv_", page);
        Assert.True(invited.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain("token=authinv_", await admin.PageAsync(members));
        Assert.Contains("invitation.created", await admin.PageAsync($"/console/accounts/{world.Acme.Id}/audit"));

        var bad = await admin.SubmitAsync(members, members + "?handler=Invite", new() { ["email"] = "not an email", ["role"] = "Member" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Enter an email address", await ConsoleClient.TextOfAsync(bad));
    }
}
