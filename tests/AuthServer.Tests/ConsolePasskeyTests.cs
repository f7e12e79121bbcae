using System.Net;
using AuthServer.Audit;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// Removing a passkey at <c>/console/passkeys</c> over HTTP (adding one needs an authenticator: the browser tests do
/// that with Chromium's virtual one; here a stored passkey stands in for it).
/// </summary>
public sealed class ConsolePasskeyTests(TestWorld world) : IClassFixture<TestWorld>
{
    private static string NewEmail() => $"pk{Guid.NewGuid():N}"[..12] + "@example.com";

    private async Task<string> StorePasskeyAsync(string email)
    {
        var credentialId = Guid.NewGuid().ToByteArray();
        await world.Provision.InScope<UserManager<ConsoleUser>, bool>(async users =>
        {
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
            var result = await users.AddOrUpdatePasskeyAsync(user, new UserPasskeyInfo(credentialId, [1, 2, 3], DateTimeOffset.UtcNow, 0, ["internal"], true, false, false, [4], [5]));
            return result.Succeeded;
        });
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(credentialId);
    }

    private Task<int> PasskeyCountAsync(string email) =>
        world.Provision.InScope<UserManager<ConsoleUser>, int>(async users => (await users.GetPasskeysAsync((await users.FindByEmailAsync(email))!)).Count);

    [Fact]
    public async Task A_person_removes_their_own_passkey_and_the_removal_is_audited()
    {
        var email = NewEmail();
        using var person = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member);
        var passkeyId = await StorePasskeyAsync(email);
        Assert.Contains(passkeyId, await person.PageAsync("/console/passkeys"));

        using var lostDevice = ConsoleClient.For(world);
        Assert.Equal(HttpStatusCode.Redirect, (await lostDevice.SubmitAsync("/console/sign-in", "/console/sign-in", new() { ["Email"] = email, ["Password"] = "correct horse battery" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lostDevice.GetAsync("/console/passkeys")).StatusCode);

        var removed = await person.SubmitAsync("/console/passkeys", "/console/passkeys?handler=Remove", new() { ["passkeyId"] = passkeyId });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await lostDevice.GetAsync("/console/passkeys")).StatusCode); // its session ended
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/console/passkeys")).StatusCode); // this one goes on
        var page = await ConsoleClient.TextOfAsync(removed);
        Assert.Contains("Passkey removed", page);
        Assert.Contains("You have no passkey yet", page);
        Assert.Equal(0, await PasskeyCountAsync(email));
        var audited = await world.Provision.InScope<Data.AuthDbContext, List<AuditEntry>>(db => db.AuditEntries.Where(e => e.Subject == email && e.Action == AuditActions.PasskeyRemoved).ToListAsync());
        Assert.Equal($"user:{email}", Assert.Single(audited).ActorId);

        var again = await person.SubmitAsync("/console/passkeys", "/console/passkeys?handler=Remove", new() { ["passkeyId"] = passkeyId });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("no such passkey", await ConsoleClient.TextOfAsync(again));
    }

    [Fact]
    public async Task Nobody_removes_another_persons_passkey_and_malformed_ids_are_refused()
    {
        var ownerEmail = NewEmail();
        using var owner = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, ownerEmail, MemberRole.Administrator);
        var passkeyId = await StorePasskeyAsync(ownerEmail);
        using var other = await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, NewEmail(), MemberRole.Administrator);

        foreach (var id in new[] { passkeyId, "", "not*base64", new string('A', 5000) })
        {
            var refused = await other.SubmitAsync("/console/passkeys", "/console/passkeys?handler=Remove", new() { ["passkeyId"] = id });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var visitor = ConsoleClient.For(world);
        var anonymous = await visitor.PostAsync("/console/passkeys?handler=Remove", new() { ["passkeyId"] = passkeyId });
        Assert.True(anonymous.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"{(int)anonymous.StatusCode}"); // to sign in, or no antiforgery
        Assert.Equal(1, await PasskeyCountAsync(ownerEmail));
    }
}
