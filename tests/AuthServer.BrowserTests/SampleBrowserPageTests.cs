using System.Text.RegularExpressions;
using AuthServer.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static AuthServer.BrowserTests.Infrastructure.ConsoleBrowserWorld;
using static Microsoft.Playwright.Assertions;

namespace AuthServer.BrowserTests;

/// <summary>
/// The SampleApi's browser page in Chromium against a real AuthServer, with a publishable key and no secret: a
/// visitor token, an end user signed in through the sample backend, an invoice created on their behalf, one retry
/// after a 401 (and no second), and the error a page meets on an origin the key does not allow.
/// </summary>
public sealed class SampleBrowserPageTests(SampleBrowserWorld world) : IClassFixture<SampleBrowserWorld>
{
    [Fact]
    public async Task From_an_allowed_origin_a_visitor_and_then_a_signed_in_end_user_call_the_api()
    {
        List<string> problems = [];
        var page = await world.OpenPageAsync(world.AllowedOrigin, problems);

        await Expect(Status(page)).ToHaveTextAsync($"The API sees key {KeyId} through publishable key {world.Key.PublishableKey}.");
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Your name").FillAsync("Ann Lee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Status(page)).ToHaveTextAsync($"Signed in: the API sees end user user-ann-lee through key {KeyId}.");
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
        var identityTokens = Count(page, "/browser/identity-token");
        var invoicePosts = Count(page, "/invoices");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create invoice" }).ClickAsync();

        await Expect(Status(page)).ToHaveTextAsync(CreatedByAnn());
        Assert.Equal(1, identityTokens.Count);
        Assert.Equal(2, invoicePosts.Count);
        Assert.NotEqual("expired-or-revoked", await page.EvaluateAsync<string>("() => sessionStorage.getItem('sampleapi.userToken')"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task When_the_retry_is_refused_too_the_page_shows_the_api_s_answer_and_does_not_retry_again()
    {
        List<string> problems = [];
        var page = await SignedInPageAsync(problems);
        await page.RouteAsync("**/invoices", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 401,
            ContentType = "application/problem+json",
            Body = """{"title":"Unauthorized","status":401,"detail":"The token was refused."}""",
        }));
        var identityTokens = Count(page, "/browser/identity-token");
        var invoicePosts = Count(page, "/invoices");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create invoice" }).ClickAsync();

        await Expect(Status(page)).ToHaveTextAsync("Error: The API answered 401: The token was refused.");
        Assert.Equal(1, identityTokens.Count);
        Assert.Equal(2, invoicePosts.Count);
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

    private string KeyId => world.Key.Key.Key.KeyId;

    private Regex CreatedByAnn() => new($"^Invoice inv_[0-9a-f]+ created by user-ann-lee through key {Regex.Escape(KeyId)}\\.$");

    private async Task<IPage> SignedInPageAsync(List<string> problems)
    {
        var page = await world.OpenPageAsync(world.AllowedOrigin, problems);
        await Expect(Status(page)).ToHaveTextAsync(new Regex("^The API sees key "));
        await page.GetByLabel("Your name").FillAsync("Ann Lee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Status(page)).ToHaveTextAsync(new Regex("^Signed in: "));
        return page;
    }

    /// <summary>The POSTs the page sends to <paramref name="path"/> from now on.</summary>
    private static RequestCounter Count(IPage page, string path)
    {
        var counter = new RequestCounter();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == path)
            {
                Interlocked.Increment(ref counter.Value);
            }
        };
        return counter;
    }

    private static ILocator Status(IPage page) => page.GetByRole(AriaRole.Status);

    private sealed class RequestCounter
    {
        public int Value;

        public int Count => Volatile.Read(ref Value);
    }
}
