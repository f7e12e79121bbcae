using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AuthServer.BrowserTests.Infrastructure;

/// <summary>
/// The SampleApi's browser page in Debian's headless Chromium: the SampleApi on two loopback ports, the first
/// among the publishable key's allowed origins and the second not, validating locally the tokens of
/// <see cref="BrowserModeAuthServer"/>. Shared by the tests of one class; each test has its own browser context.
/// </summary>
public sealed class SampleBrowserWorld : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    public BrowserModeAuthServer AuthServer { get; private set; } = null!;

    public SampleApiHost SampleApi { get; private set; } = null!;

    public Uri AllowedOrigin => SampleApi.Origins[0];

    public Uri RefusedOrigin => SampleApi.Origins[1];

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        int[] ports = [AuthServerProcess.FreeLoopbackPort(), AuthServerProcess.FreeLoopbackPort()];
        AuthServer = await BrowserModeAuthServer.StartAsync($"http://127.0.0.1:{ports[0]}", ClientSecret.Generate("test"));
        SampleApi = SampleApiHost.Start(new Dictionary<string, string?>
        {
            ["AuthServer:Issuer"] = AuthServer.Issuer.AbsoluteUri,
            ["AuthServer:Audience"] = BrowserModeAuthServer.Audience,
            ["AuthServer:Mode"] = "Local",
            ["AuthServer:AcceptApiKeys"] = "false",
            ["SampleApi:Browser:PublishableKey"] = BrowserModeAuthServer.PublishableKey,
            ["SampleApi:Browser:SigningSecret"] = AuthServer.SigningSecret,
        }, ports);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", // Debian's; Playwright's own download is not available here
            Headless = true,
            Args = ["--no-sandbox"], // CI runs as root
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await SampleApi.DisposeAsync();
        await AuthServer.DisposeAsync();
    }

    /// <summary>A new browser context on the page at <paramref name="origin"/>; <paramref name="problems"/> collects the console's errors (CSP violations among them).</summary>
    public async Task<IPage> OpenPageAsync(Uri origin, List<string> problems)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = origin.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 1000, Height = 900 },
        });
        context.SetDefaultTimeout(30_000); // CI shares 2 cores with the other test assemblies
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync("/browser/");
        return page;
    }
}
