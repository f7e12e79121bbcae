using System.Net;
using AuthServer.Accounts;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AuthServer.BrowserTests.Infrastructure;

/// <summary>
/// AuthServer on a loopback Kestrel port (Development: plain HTTP from loopback) with the standard set-up, and
/// Debian's headless Chromium driven by Playwright. Shared by the tests of one class; each test has its own browser context.
/// </summary>
public sealed class ConsoleBrowserWorld : IAsyncLifetime
{
    private AuthServerFactory _factory = null!;
    private IPlaywright _playwright = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Provisioning Provision => new(_factory.Services);

    /// <summary>The company's OpenID Connect provider, on 127.0.0.1: another site than the console at <see cref="LocalhostAddress"/>.</summary>
    public FakeOpenIdProvider Provider { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "docs", "screenshots");

    public async Task InitializeAsync()
    {
        var port = AuthServerProcess.FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Provider = await FakeOpenIdProvider.StartAsync();
        _factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Signing:CertificatesPath"] = Directory.CreateTempSubdirectory("authserver-browser-certs-").FullName,
            ["Users:PublicUrl"] = BaseAddress.AbsoluteUri,
            ["Console:SingleSignOn:Authority"] = Provider.Authority.AbsoluteUri,
            ["Console:SingleSignOn:ClientId"] = FakeOpenIdProvider.ClientId,
            ["Console:SingleSignOn:ClientSecret"] = FakeOpenIdProvider.ClientSecret,
            ["Console:SingleSignOn:DisplayName"] = "Acme SSO",
        }, environment: "Development");
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        Http = new HttpClient { BaseAddress = BaseAddress };
        await Provision.SeedStandardAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", // Debian's; Playwright's own download is not available here
            Headless = true,
            // CI runs as root; "localhost" (a WebAuthn relying party must be a domain, not an IP) is the loopback server.
            Args = ["--no-sandbox", "--host-resolver-rules=MAP localhost 127.0.0.1"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Http.Dispose();
        await _factory.DisposeAsync();
        await Provider.DisposeAsync();
    }

    public Task<AccountView> CreateAccountAsync(string name, int? keyLimit = null) => Provision.CreateAccountAsync(name, keyLimit);

    /// <summary>An invitation made through the same service as the CLI and the admin API; returns its link.</summary>
    public async Task<string> InviteAsync(string accountId, string email, MemberRole role) =>
        (await Provision.InScope<InvitationService, CreatedInvitation>(invitations =>
            invitations.CreateAsync(accountId, email, role, Provisioning.TestActor, CancellationToken.None))).Link;

    /// <summary>The same server as <see cref="BaseAddress"/>, by the name passkeys need.</summary>
    public Uri LocalhostAddress => new($"http://localhost:{BaseAddress.Port}/");

    public async Task<IPage> NewPageAsync(int width = 1280, Uri? baseAddress = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? BaseAddress).AbsoluteUri,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(30_000); // CI shares 2 cores with the other test assemblies
        return await context.NewPageAsync();
    }

    /// <summary>Accepts <paramref name="link"/> in <paramref name="page"/>, which is signed in afterwards.</summary>
    public static async Task AcceptAsync(IPage page, string link, string name, string password)
    {
        await page.GotoAsync(link);
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Choose a password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept and sign in" }).ClickAsync();
    }

    /// <summary>axe-core on the page as it is: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>Saves the page for the README; secrets and invitation links are masked.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotFolder, name + ".png"),
            FullPage = true,
            Mask = [page.Locator("input.secret")],
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AuthServer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AuthServer.sln not found above " + AppContext.BaseDirectory);
    }
}
