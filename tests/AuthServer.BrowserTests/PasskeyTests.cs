using AuthServer.BrowserTests.Infrastructure;
using AuthServer.Users;
using Microsoft.Playwright;
using static AuthServer.BrowserTests.Infrastructure.ConsoleBrowserWorld;

namespace AuthServer.BrowserTests;

/// <summary>Passkeys beside the password, with Chromium's virtual authenticator (DevTools protocol) standing in for a device.</summary>
public sealed class PasskeyTests(ConsoleBrowserWorld world) : IClassFixture<ConsoleBrowserWorld>
{
    [Fact]
    public async Task A_person_adds_a_passkey_and_signs_in_with_it_instead_of_the_password()
    {
        var account = await world.CreateAccountAsync("Acme Passkeys");
        var page = await world.NewPageAsync(baseAddress: world.LocalhostAddress);
        var devtools = await page.Context.NewCDPSessionAsync(page);
        await devtools.SendAsync("WebAuthn.enable");
        await devtools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        var link = new Uri(await world.InviteAsync(account.Id, "linus@acme.test", MemberRole.Administrator)).PathAndQuery;
        await AcceptAsync(page, link, "Linus", "correct horse battery staple");
        await page.GetByRole(AriaRole.Link, new() { Name = "Passkeys" }).ClickAsync();
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Passkey added: you can sign in with it")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "passkeys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys of Acme Passkeys" })).ToBeVisibleAsync();

        // Removed, the passkey no longer signs in, though the device still holds it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Passkeys" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove the passkey") }).ClickAsync();
        await Assertions.Expect(page.GetByText("Passkey removed: it no longer signs you in.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByText("That passkey did not sign you in.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
