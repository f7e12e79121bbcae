using System.Text.RegularExpressions;
using AuthServer.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static AuthServer.BrowserTests.Infrastructure.ConsoleBrowserWorld;
using static Microsoft.Playwright.Assertions;

namespace AuthServer.BrowserTests;

/// <summary>
/// The SampleApi's browser page in Chromium, with a publishable key and no secret: a visitor token, an end user
/// signed in through the sample backend, an invoice created on their behalf, one retry after a 401, and the error a
/// page meets on an origin the key does not allow.
/// </summary>
public sealed partial class SampleBrowserPageTests(SampleBrowserWorld world) : IClassFixture<SampleBrowserWorld>
{
    private const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    [Fact]
    public async Task From_an_allowed_origin_a_visitor_and_then_a_signed_in_end_user_call_the_api()
    {
        List<string> problems = [];
        var page = await world.OpenPageAsync(world.AllowedOrigin, problems);

        await Expect(Status(page)).ToHaveTextAsync(
            $"The API sees key {BrowserModeAuthServer.KeyId} through publishable key {BrowserModeAuthServer.PublishableKey}.");
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Your name").FillAsync("Ann Lee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Status(page)).ToHaveTextAsync($"Signed in: the API sees end user user-ann-lee through key {BrowserModeAuthServer.KeyId}.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invoice" }).ClickAsync();

        await Expect(Status(page)).ToHaveTextAsync(CreatedByAnn());
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "sample-browser-page");
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie || null")); // HttpOnly: out of the page's reach
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_401_the_page_gets_a_new_identity_token_once_and_retries_once()
    {
        List<string> problems = [];
        var page = await SignedInPageAsync(problems);
        await page.EvaluateAsync("() => sessionStorage.setItem('sampleapi.userToken', 'expired-or-revoked')");
        var exchanges = Exchanges();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create invoice" }).ClickAsync();

        await Expect(Status(page)).ToHaveTextAsync(CreatedByAnn());
        Assert.Equal(exchanges + 1, Exchanges());
        Assert.NotEqual("expired-or-revoked", await page.EvaluateAsync<string>("() => sessionStorage.getItem('sampleapi.userToken')"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task When_the_retry_is_refused_too_the_page_shows_the_api_s_answer_and_does_not_retry_again()
    {
        List<string> problems = [];
        var page = await SignedInPageAsync(problems);
        var exchanges = Exchanges();
        world.AuthServer.IssueTokensForAnotherApi = true;
        try
        {
            await page.EvaluateAsync("() => sessionStorage.setItem('sampleapi.userToken', 'expired-or-revoked')");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create invoice" }).ClickAsync();

            await Expect(Status(page)).ToHaveTextAsync(new Regex("^Error: The API answered 401: "));
            Assert.Equal(exchanges + 1, Exchanges());
        }
        finally
        {
            world.AuthServer.IssueTokensForAnotherApi = false;
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task From_an_origin_the_key_does_not_allow_the_page_says_AuthServer_could_not_be_read()
    {
        List<string> problems = [];
        var page = await world.OpenPageAsync(world.RefusedOrigin, problems);

        await Expect(Status(page)).ToHaveTextAsync(
            "Error: AuthServer could not be read from this page: is this origin among the key's allowed origins?");
        await AssertAccessibleAsync(page);
        Assert.DoesNotContain(problems, problem => problem.Contains("Content Security Policy", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    private async Task<IPage> SignedInPageAsync(List<string> problems)
    {
        var page = await world.OpenPageAsync(world.AllowedOrigin, problems);
        await Expect(Status(page)).ToHaveTextAsync(new Regex("^The API sees key "));
        await page.GetByLabel("Your name").FillAsync("Ann Lee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Status(page)).ToHaveTextAsync(new Regex("^Signed in: "));
        return page;
    }

    private int Exchanges() => world.AuthServer.Grants.Count(grant => grant == TokenExchange);

    private static ILocator Status(IPage page) => page.GetByRole(AriaRole.Status);

    [GeneratedRegex($"^Invoice inv_[0-9a-f]+ created by user-ann-lee through key {BrowserModeAuthServer.KeyId}\\.$")]
    private static partial Regex CreatedByAnn();
}
