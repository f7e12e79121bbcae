using AuthServer.ResourceServer;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace SampleApi.Browser;

/// <summary>
/// The page's files from <c>wwwroot/browser/</c>, under a strict Content-Security-Policy: scripts and styles
/// of this origin only, and connections to this origin and the AuthServer's. Only these files are served.
/// </summary>
public static class BrowserPage
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["favicon.svg"] = "image/svg+xml",
    };

    public static RouteGroupBuilder MapBrowserPageFiles(this RouteGroupBuilder browser)
    {
        // Routing matches /browser and /browser/ alike; the page's relative links need the slash.
        browser.MapGet("/", (HttpContext http, IWebHostEnvironment environment, IOptions<AuthServerResourceOptions> authServer) =>
            http.Request.Path.Value?.EndsWith('/') == true
                ? Serve(http, environment.WebRootFileProvider, authServer.Value, "index.html")
                : TypedResults.Redirect("/browser/"));
        browser.MapGet("/{file}", (string file, HttpContext http, IWebHostEnvironment environment, IOptions<AuthServerResourceOptions> authServer) =>
            Serve(http, environment.WebRootFileProvider, authServer.Value, file));
        return browser;
    }

    /// <summary>The policy of the page: nothing but this origin's script and style, and fetches to the AuthServer.</summary>
    public static string ContentSecurityPolicy(AuthServerResourceOptions authServer) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; " +
        $"connect-src 'self' {authServer.Issuer?.GetLeftPart(UriPartial.Authority)}; img-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static IResult Serve(HttpContext http, IFileProvider files, AuthServerResourceOptions authServer, string name)
    {
        var file = Files.TryGetValue(name, out var contentType) ? files.GetFileInfo("browser/" + name) : null;
        if (file is not { Exists: true })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The browser page has no file '{name}'.");
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(authServer);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Stream(file.CreateReadStream(), contentType, lastModified: file.LastModified, entityTag: null);
    }
}
