using AuthServer.BrowserTests.Infrastructure;
using AuthServer.Users;
using Microsoft.Playwright;
using static AuthServer.BrowserTests.Infrastructure.ConsoleBrowserWorld;

namespace AuthServer.BrowserTests;

/// <summary>
/// Single sign-on in a real browser: the provider is another site (127.0.0.1) than the console (localhost), so the
/// round trip meets the browser's SameSite rules as it would in production.
/// </summary>
public sealed class SingleSignOnTests(ConsoleBrowserWorld world) : IClassFixture<ConsoleBrowserWorld>
{
    [Fact]
    public async Task An_invited_person_signs_in_through_the_company_provider_and_lands_in_the_console()
    {
        var account = await world.CreateAccountAsync("Acme SSO Inc");
        var email = "grace@acme.test";
        var setUp = await world.NewPageAsync(baseAddress: world.LocalhostAddress);
        await AcceptAsync(setUp, new Uri(await world.InviteAsync(account.Id, email, MemberRole.Member)).PathAndQuery, "Grace", "correct horse battery staple");
        await setUp.Context.CloseAsync();

        world.Provider.NextPerson = ("grace-at-acme", email, true);
        var page = await world.NewPageAsync(baseAddress: world.LocalhostAddress);
        await page.GotoAsync("/console/sign-in");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Acme SSO" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys of Acme SSO Inc" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
