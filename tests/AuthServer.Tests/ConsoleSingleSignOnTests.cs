using System.Net;
using AuthServer.Audit;
using AuthServer.Console.SingleSignOn;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// Signing in to the console through the company's OpenID Connect provider (<see cref="FakeOpenIdProvider"/> on a
/// loopback port), over HTTP: the sign-in button, the provider's round trip, and who may come in that way.
/// </summary>
public sealed class ConsoleSingleSignOnTests(ConsoleSingleSignOnTests.World world) : IClassFixture<ConsoleSingleSignOnTests.World>
{
    private string Keys => $"/console/accounts/{world.Acme.Id}/keys";

    private static void AssertSignedOut(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/console/sign-in", response.Headers.Location!.ToString());
    }

    private static string NewEmail() => $"s{Guid.NewGuid():N}"[..12] + "@example.com";

    /// <summary>Sign-in button → provider → AuthServer's callback → the page that ends the sign-in; returns that page.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(ConsoleClient person)
    {
        var challenge = await person.SubmitAsync("/console/sign-in", "/console/sign-in?handler=SingleSignOn", new());
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith(world.Provider.Authority + "authorize?", challenge.Headers.Location!.ToString());

        using var atProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var back = await atProvider.GetAsync(challenge.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith("https://localhost" + SingleSignOnSetup.CallbackPath + "?", back.Headers.Location!.ToString());

        var callback = await person.GetAsync(back.Headers.Location.PathAndQuery); // the handler redeems the code at the provider
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return await person.GetAsync(callback.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_invited_person_signs_in_through_the_provider_and_next_time_by_the_same_identity_whatever_its_email()
    {
        var email = NewEmail();
        using (await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member))
        {
        }

        using var person = ConsoleClient.For(world);
        var signInPage = await person.GetAsync("/console/sign-in");
        Assert.Contains("Sign in with Acme SSO", await signInPage.Content.ReadAsStringAsync());
        // The button's form is answered with a redirect to the provider: the CSP lets forms go there, and nowhere else.
        Assert.Contains($"form-action 'self' {world.Provider.Authority.GetLeftPart(UriPartial.Authority)};", signInPage.Headers.GetValues("Content-Security-Policy").Single());
        var subject = Guid.NewGuid().ToString("N");
        world.Provider.NextPerson = (subject, email.ToUpperInvariant(), true);
        var signedIn = await SignInThroughProviderAsync(person);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/console", signedIn.Headers.Location!.ToString());
        Assert.Contains($"Keys of {world.Acme.Name}", await person.PageAsync(Keys));
        var linked = await world.Provision.InScope<Data.AuthDbContext, List<AuditEntry>>(db => db.AuditEntries.Where(e => e.Action == AuditActions.SingleSignOnLinked && e.Subject == email).ToListAsync());
        Assert.Equal($"user:{email}", Assert.Single(linked).ActorId);

        using var later = ConsoleClient.For(world);
        world.Provider.NextPerson = (subject, "renamed@elsewhere.example", true); // the link is the provider's subject, not the email
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughProviderAsync(later)).StatusCode);
        Assert.Contains($"Keys of {world.Acme.Name}", await later.PageAsync(Keys));
    }

    [Theory]
    [InlineData("nobody@example.com", true, "There is no console sign-in for nobody@example.com")]
    [InlineData(null, true, "did not give a verified email")]
    [InlineData("existing", false, "did not give a verified email")]
    [InlineData("existing", null, "did not give a verified email")] // no email_verified claim at all (e.g. Entra ID)
    public async Task An_identity_without_a_matching_verified_email_signs_in_nobody(string? email, bool? verified, string says)
    {
        var existing = NewEmail();
        using (await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, existing, MemberRole.Administrator))
        {
        }

        using var stranger = ConsoleClient.For(world);
        world.Provider.NextPerson = (Guid.NewGuid().ToString("N"), email == "existing" ? existing : email, verified);
        var refused = await SignInThroughProviderAsync(stranger);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(says, await ConsoleClient.TextOfAsync(refused));
        AssertSignedOut(await stranger.GetAsync(Keys));
    }

    [Fact]
    public async Task A_second_identity_with_the_email_of_a_person_already_linked_signs_in_nobody()
    {
        var email = NewEmail();
        using (await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member))
        {
        }

        using var first = ConsoleClient.For(world);
        world.Provider.NextPerson = (Guid.NewGuid().ToString("N"), email, true);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughProviderAsync(first)).StatusCode);

        using var second = ConsoleClient.For(world);
        world.Provider.NextPerson = (Guid.NewGuid().ToString("N"), email, true); // the email given to someone else
        var refused = await SignInThroughProviderAsync(second);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("already linked to another single sign-on identity", await ConsoleClient.TextOfAsync(refused));
        AssertSignedOut(await second.GetAsync(Keys));
    }

    [Fact]
    public async Task An_email_without_email_verified_links_only_where_the_operator_trusts_the_provider_s_emails()
    {
        var email = NewEmail();
        using (await ConsoleClient.For(world).JoinAsync(world, world.Acme.Id, email, MemberRole.Member))
        {
        }

        var login = new Microsoft.AspNetCore.Identity.ExternalLoginInfo(
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("email", email)], "sso")),
            SingleSignOnSetup.Scheme, Guid.NewGuid().ToString("N"), "Acme SSO");
        await Assert.ThrowsAsync<Failures.NotFoundException>(() =>
            world.Provision.InScope<SingleSignOnPeople, ConsoleUser>(people => people.PersonForAsync(login, "127.0.0.1")));
        var linked = await world.Provision.InScope<SingleSignOnPeople, ConsoleUser>(people => people.PersonForAsync(login, "127.0.0.1", trustUnverifiedEmails: true));
        Assert.Equal(email, linked.Email);
    }

    [Fact]
    public async Task A_callback_that_did_not_start_here_or_a_replayed_code_signs_in_nobody_and_shows_a_page()
    {
        using var person = ConsoleClient.For(world);
        var forged = await person.GetAsync(SingleSignOnSetup.CallbackPath + "?code=guessed&state=forged");
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        var page = await person.GetAsync(forged.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("The single sign-on did not complete", await ConsoleClient.TextOfAsync(page));
        AssertSignedOut(await person.GetAsync(Keys));

        var challenge = await person.SubmitAsync("/console/sign-in", "/console/sign-in?handler=SingleSignOn", new());
        using var atProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        world.Provider.NextPerson = ("replayed", NewEmail(), true);
        using var back = await atProvider.GetAsync(challenge.Headers.Location);
        await person.GetAsync(back.Headers.Location!.PathAndQuery);
        using var other = ConsoleClient.For(world);
        var replayed = await other.GetAsync(back.Headers.Location.PathAndQuery); // another browser: no correlation cookie
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.GetAsync(replayed.Headers.Location!.ToString())).StatusCode);
    }

    [Fact]
    public void The_settings_are_checked_at_start()
    {
        var validate = new ValidateSingleSignOnOptions();
        Assert.True(validate.Validate(null, new SingleSignOnOptions()).Succeeded); // off
        Assert.True(validate.Validate(null, new SingleSignOnOptions { Authority = new("https://login.example.com"), ClientId = "c" }).Succeeded);
        Assert.True(validate.Validate(null, new SingleSignOnOptions { Authority = new("http://127.0.0.1:8080"), ClientId = "c" }).Succeeded);
        Assert.Contains("https://", validate.Validate(null, new SingleSignOnOptions { Authority = new("http://login.example.com"), ClientId = "c" }).FailureMessage);
        Assert.Contains("ClientId", validate.Validate(null, new SingleSignOnOptions { Authority = new("https://login.example.com") }).FailureMessage);
        Assert.Contains("DisplayName", validate.Validate(null, new SingleSignOnOptions { Authority = new("https://login.example.com"), ClientId = "c", DisplayName = "" }).FailureMessage);
    }

    public sealed class World : TestWorld
    {
        public World() : this(FakeOpenIdProvider.StartAsync().GetAwaiter().GetResult())
        {
        }

        private World(FakeOpenIdProvider provider) : base(new Dictionary<string, string?>
        {
            ["Console:SingleSignOn:Authority"] = provider.Authority.ToString(),
            ["Console:SingleSignOn:ClientId"] = FakeOpenIdProvider.ClientId,
            ["Console:SingleSignOn:ClientSecret"] = FakeOpenIdProvider.ClientSecret,
            ["Console:SingleSignOn:DisplayName"] = "Acme SSO",
        }) => Provider = provider;

        public FakeOpenIdProvider Provider { get; }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }
}

/// <summary>Without settings, there is no single sign-on: no button, and its handler is not there.</summary>
public sealed class ConsoleWithoutSingleSignOnTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task The_sign_in_page_has_no_single_sign_on_button_and_its_handler_is_not_found()
    {
        using var visitor = ConsoleClient.For(world);
        var page = await visitor.GetAsync("/console/sign-in");
        Assert.DoesNotContain("handler=SingleSignOn", await page.Content.ReadAsStringAsync());
        Assert.Contains("form-action 'self';", page.Headers.GetValues("Content-Security-Policy").Single());
        var post = await visitor.SubmitAsync("/console/sign-in", "/console/sign-in?handler=SingleSignOn", new());
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(SingleSignOnSetup.CallbackPath + "?code=x&state=y")).StatusCode);
    }
}
