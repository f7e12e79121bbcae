using System.Net;
using AuthServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AuthServer.BrowserTests.Infrastructure;

/// <summary>
/// The SampleApi's browser page in Debian's headless Chromium against a real AuthServer: AuthServer on a loopback
/// Kestrel port (Development, the standard set-up) with one key in browser mode (invoices:read and invoices:write,
/// both publishable), and the SampleApi on two more ports, the first among the key's allowed origins and the second
/// not. Shared by the tests of one class; each test has its own browser context.
/// </summary>
public sealed class SampleBrowserWorld : IAsyncLifetime
{
    private AuthServerFactory _authServer = null!;
    private IPlaywright _playwright = null!;

    public Uri Issuer { get; private set; } = null!;

    public BrowserModeKey Key { get; private set; } = null!;

    public SampleApiHost SampleApi { get; private set; } = null!;

    public Uri AllowedOrigin => SampleApi.Origins[0];

    public Uri RefusedOrigin => SampleApi.Origins[1];

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var authPort = AuthServerProcess.FreeLoopbackPort();
        int[] pagePorts = [AuthServerProcess.FreeLoopbackPort(), AuthServerProcess.FreeLoopbackPort()];
        Issuer = new Uri($"http://127.0.0.1:{authPort}/");
        _authServer = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Signing:CertificatesPath"] = Directory.CreateTempSubdirectory("authserver-sample-browser-certs-").FullName,
            ["Tokens:Issuer"] = Issuer.AbsoluteUri,
        }, environment: "Development");
        _authServer.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, authPort));
        _authServer.StartServer();
        var provision = new Provisioning(_authServer.Services);
        var (acme, _, _) = await provision.SeedStandardAsync();
        Key = await provision.CreateBrowserModeKeyAsync(acme.Id, ["invoices:read", "invoices:write"], $"http://127.0.0.1:{pagePorts[0]}");

        SampleApi = SampleApiHost.Start(new Dictionary<string, string?>
        {
            ["AuthServer:Issuer"] = Issuer.AbsoluteUri,
            ["AuthServer:Audience"] = Provisioning.InvoicesApi,
            ["AuthServer:Mode"] = "Local",
            ["AuthServer:AcceptApiKeys"] = "false",
            ["SampleApi:Browser:PublishableKey"] = Key.PublishableKey,
            ["SampleApi:Browser:SigningSecret"] = Key.SigningSecret,
        }, pagePorts);

        // The first token and the SampleApi's first read of the JWKS take seconds on a loaded 2-core machine, more
        // than an assertion's default 5 s: both are warmed up here, and assertions wait longer.
        await WarmUpAsync(pagePorts[0]);
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", // Debian's; Playwright's own download is not available here
            Headless = true,
            Args = ["--no-sandbox"], // CI runs as root
        });
    }

    private async Task WarmUpAsync(int allowedPort)
    {
        using var authServer = new HttpClient { BaseAddress = Issuer };
        using var answer = await authServer.RequestBrowserTokenAsync(Key.PublishableKey, $"http://127.0.0.1:{allowedPort}");
        var token = (await answer.ReadJsonAsync()).GetProperty("access_token").GetString();
        using var sampleApi = new HttpClient { BaseAddress = SampleApi.Origins[0] };
        using var whoami = new HttpRequestMessage(HttpMethod.Get, "/whoami") { Headers = { Authorization = new("Bearer", token) } };
        using var seen = await sampleApi.SendAsync(whoami);
        seen.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await SampleApi.DisposeAsync();
        await _authServer.DisposeAsync();
    }

    /// <summary>
    /// A new browser context on the page at <paramref name="origin"/>; <paramref name="problems"/> collects the
    /// console's errors (CSP violations among them) and the page's uncaught exceptions.
    /// </summary>
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
