using System.Net;
using System.Text.RegularExpressions;
using AuthServer.BrowserTests.Infrastructure;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.Playwright;
using static AuthServer.BrowserTests.Infrastructure.ConsoleBrowserWorld;

namespace AuthServer.BrowserTests;

/// <summary>The console in a real browser (headless Chromium), with axe-core on every page and screenshots for the README.</summary>
public sealed partial class ConsoleJourneyTests(ConsoleBrowserWorld world) : IClassFixture<ConsoleBrowserWorld>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task An_invited_administrator_creates_uses_renames_refreshes_and_revokes_a_key()
    {
        var account = await world.CreateAccountAsync("Acme Browser", keyLimit: 1);
        var page = await world.NewPageAsync();
        await AcceptAsync(page, await world.InviteAsync(account.Id, "ada@acme.test", MemberRole.Administrator), "Ada Lovelace", Password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys of Acme Browser" }));

        // Sign out and back in with the password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "sign-in");
        await page.GetByLabel("Email").FillAsync("ada@acme.test");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys of Acme Browser" }));
        await AssertAccessibleAsync(page);

        // Create a key: the secret is shown once, and Copy puts it on the clipboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add new key" }).ClickAsync();
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("billing service");
        await page.GetByLabel("invoices:read").CheckAsync();
        await page.GetByLabel("Expires on").FillAsync(DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "new-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = await page.Locator("#secret").InputValueAsync();
        var keyId = await page.Locator("#key-id").TextContentAsync() ?? "";
        Assert.Matches("^authsk_live_[0-9A-Za-z]{49}$", secret);
        Assert.DoesNotContain(secret, page.Url);
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.GetByText("Copied."));
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await ScreenshotAsync(page, "secret-shown-once");

        using (var token = await world.Http.RequestTokenAsync(keyId, secret))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        // Back at the list: only the hint. The limit counts test keys apart, so a test key can still be added.
        await page.GetByRole(AriaRole.Link, new() { Name = "Done: back to the keys" }).ClickAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Add new key" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("sandbox");
        await page.GetByLabel("Test").CheckAsync();
        await page.GetByLabel("invoices:read").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        Assert.Matches("^authsk_test_[0-9A-Za-z]{49}$", await page.Locator("#secret").InputValueAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Done: back to the keys" }).ClickAsync();

        // At the limit in both environments the button is disabled and says why.
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Add new key" });
        Assert.True(await create.IsDisabledAsync());
        await Expect(page.GetByText("its limit of 1 for each"));
        await ScreenshotAsync(page, "keys");

        // Rename inline: Escape cancels, Enter saves.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename billing service" }).ClickAsync();
        var inline = page.GetByLabel("New name: Enter saves, Escape cancels");
        await inline.FillAsync("discarded");
        await inline.PressAsync("Escape");
        await Expect(page.Locator(".key-name", new() { HasText = "billing service" }));
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename billing service" }).ClickAsync();
        await inline.FillAsync("billing, production");
        await inline.PressAsync("Enter");
        await Expect(page.GetByText("Renamed the key to “billing, production”."));

        // Refresh: a later expiry, the same secret.
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.GetByText("its secret is unchanged"));

        // Revoke by typing the name; the button works only once it matches.
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke billing, production" }).ClickAsync();
        await AssertAccessibleAsync(page);
        var revoke = page.GetByRole(AriaRole.Button, new() { Name = "Revoke key" });
        await page.GetByLabel("Type the key's name to confirm").FillAsync("billing");
        Assert.True(await revoke.IsDisabledAsync());
        await page.GetByLabel("Type the key's name to confirm").FillAsync("billing, production");
        await ScreenshotAsync(page, "revoke");
        await revoke.ClickAsync();
        await Expect(page.GetByText("is revoked"));

        using (var refused = await world.Http.RequestTokenAsync(keyId, secret))
        {
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "members");
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByText("key.revoked"));
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "audit");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_member_sees_the_keys_with_the_create_button_disabled_also_at_phone_width()
    {
        var account = await world.CreateAccountAsync("Acme Members");
        await world.Provision.CreateKeyAsync(account.Id, ["invoices:read"], name: "shared key");
        var page = await world.NewPageAsync(width: 375);
        await AcceptAsync(page, await world.InviteAsync(account.Id, "grace@acme.test", MemberRole.Member), "Grace Hopper", Password);
        await Expect(page.GetByText("shared key"));
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Add new key" }).IsDisabledAsync());
        await Expect(page.GetByText("Only administrators can create keys; ask an administrator of this account."));
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "keys-member-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_turns_on_browser_mode_for_a_key_and_generates_its_signing_secret()
    {
        const string App = "http://localhost:3000";
        var account = await world.CreateAccountAsync("Acme Storefront");
        var scope = "storefront:" + Guid.NewGuid().ToString("N")[..8];
        await world.Provision.CreateScopeAsync(scope, Provisioning.InvoicesApi);
        await world.Provision.SetPublishableAsync(scope, publishable: true);
        await world.Provision.CreateKeyAsync(account.Id, [scope, "invoices:write"], name: "storefront");
        var page = await world.NewPageAsync();
        await AcceptAsync(page, await world.InviteAsync(account.Id, "linus@acme.test", MemberRole.Administrator), "Linus Torvalds", Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Browser mode of storefront" }).ClickAsync();
        await Expect(page.GetByText("This key has no browser mode"));
        await AssertAccessibleAsync(page);

        // A bad pattern: the service's message beside the field, nothing saved.
        var origins = page.GetByLabel("Allowed origins, one per line");
        await origins.FillAsync("https://app.example.com/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on browser mode" }).ClickAsync();
        await Expect(page.Locator("#origins-error", new() { HasText = "an origin has no path" }));
        await AssertAccessibleAsync(page);

        await origins.FillAsync(App + "\nhttps://*.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on browser mode" }).ClickAsync();
        var publishableKey = await page.Locator("#publishable-key").TextContentAsync() ?? "";
        Assert.StartsWith("pk_live_", publishableKey, StringComparison.Ordinal);
        await Expect(page.GetByText("safe in a page's source"));
        using (var token = await world.Http.RequestBrowserTokenAsync(publishableKey, App))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        // The signing secret: once, on its own page, then only when it was set.
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate signing secret" }).ClickAsync();
        var signingSecret = await page.Locator("#signing-secret").InputValueAsync();
        Assert.StartsWith("authsk_", signingSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(signingSecret, page.Url);
        await Expect(page.GetByText("Store it on your backend, never in a page."));
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Done: back to browser mode" }).ClickAsync();
        Assert.DoesNotContain(signingSecret, await page.ContentAsync());
        await Expect(page.GetByText(new Regex("^set \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$")));
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "console-browser-mode");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the keys" }).ClickAsync();
        await Expect(page.GetByText(publishableKey));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_adds_a_webhook_endpoint_and_sees_its_signing_secret_once()
    {
        var account = await world.CreateAccountAsync("Acme Hooks");
        var page = await world.NewPageAsync();
        await AcceptAsync(page, await world.InviteAsync(account.Id, "katherine@acme.test", MemberRole.Administrator), "Katherine Johnson", Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(page.GetByText("No endpoints yet."));
        await AssertAccessibleAsync(page);

        await page.GetByLabel("HTTPS URL").FillAsync("https://10.0.0.5/hooks");
        await page.GetByLabel("key.revoked").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Expect(page.GetByText("loopback, private, link-local or reserved"));
        await AssertAccessibleAsync(page);

        await page.GetByLabel("HTTPS URL").FillAsync("https://93.184.216.34/authserver");
        await page.GetByLabel("Description (optional)").FillAsync("Billing alerts");
        await page.GetByLabel("key.revoked").CheckAsync();
        await page.GetByLabel("key.expiring_soon").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        var secret = await page.Locator("#secret").InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await Expect(page.GetByText("It is shown only this once"));
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "webhooks");

        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries to https://93.184.216.34/authserver" }).ClickAsync();
        await Expect(page.GetByText("No deliveries yet."));
        await AssertAccessibleAsync(page);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_limits_a_key_to_an_address_block_and_a_rate_and_a_bad_block_is_explained()
    {
        var account = await world.CreateAccountAsync("Acme Limits");
        var key = await world.Provision.CreateKeyAsync(account.Id, ["invoices:read"], name: "reporting job");
        var page = await world.NewPageAsync();
        await AcceptAsync(page, await world.InviteAsync(account.Id, "mary@acme.test", MemberRole.Administrator), "Mary Jackson", Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Limits of reporting job" }).ClickAsync();
        await Expect(page.GetByText("Allowed addresses: any."));
        await AssertAccessibleAsync(page);

        await page.GetByLabel("Token requests per minute").FillAsync("120");
        await page.GetByLabel("Allowed addresses").FillAsync("10.0.0.1/8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save limits" }).ClickAsync();
        await Expect(page.GetByText("did you mean 10.0.0.0/8?"));
        await AssertAccessibleAsync(page);

        await page.GetByLabel("Allowed addresses").FillAsync("203.0.113.0/24\n2001:db8::/32");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save limits" }).ClickAsync();
        await Expect(page.GetByText("every server applies them within a second"));
        await Expect(page.GetByText("Allowed addresses: 203.0.113.0/24, 2001:db8::/32."));
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "limits");
        Assert.DoesNotContain(key.Secret, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    private static Task Expect(ILocator locator) => Assertions.Expect(locator.First).ToBeVisibleAsync();
}
