using AuthServer.ResourceServer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace SampleApi.Browser;

/// <summary>
/// The browser page and its sample backend, mapped only when <c>SampleApi:Browser:PublishableKey</c> is set.
/// The two POSTs take JSON only: with the SameSite=Strict cookie, a form on another site cannot post them
/// (a cross-site JSON request needs a CORS preflight, which this API never grants).
/// </summary>
public static class BrowserEndpoints
{
    public static IServiceCollection AddBrowserPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowserOptions>().Bind(configuration.GetSection(BrowserOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrowserOptions>, ValidateBrowserOptions>();
        services.AddDataProtection();
        services.AddSingleton<EndUserSession>();
        services.AddSingleton<IdentityTokenMinter>();
        return services;
    }

    public static IEndpointRouteBuilder MapBrowserPage(this IEndpointRouteBuilder app, bool enabled)
    {
        if (!enabled)
        {
            return app;
        }

        var browser = app.MapGroup("/browser");
        browser.MapGet("/config.json", Config);
        browser.MapPost("/session", SignIn);
        browser.MapDelete("/session", SignOut);
        browser.MapPost("/identity-token", IssueIdentityToken);
        browser.MapBrowserPageFiles();
        browser.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
        return app;
    }

    private static Ok<BrowserConfig> Config(
        HttpRequest request, IOptions<BrowserOptions> browser, IOptions<AuthServerResourceOptions> authServer, EndUserSession session)
    {
        var options = browser.Value;
        var user = options.SignInAvailable ? session.Read(request) : null;
        return TypedResults.Ok(new BrowserConfig(
            authServer.Value.Issuer?.AbsoluteUri ?? "", options.PublishableKey!, options.Scope, options.SignInAvailable,
            user is null ? null : new SignedInUser(user.Id, user.Name)));
    }

    private static Results<Ok<SignedInUser>, ProblemHttpResult> SignIn(SignInRequest body, HttpResponse response, IOptions<BrowserOptions> browser, EndUserSession session)
    {
        if (!browser.Value.SignInAvailable)
        {
            return SignInUnavailable();
        }

        if (EndUser.Named(body.Name) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid name",
                detail: $"A name of 1 to {EndUser.MaxNameLength} characters, without control characters, is required.");
        }

        session.SignIn(response, user);
        return TypedResults.Ok(new SignedInUser(user.Id, user.Name));
    }

    private static NoContent SignOut(HttpResponse response, EndUserSession session)
    {
        session.SignOut(response);
        return TypedResults.NoContent();
    }

    private static Results<Ok<IdentityTokenAnswer>, ProblemHttpResult> IssueIdentityToken(
        HttpRequest request, IOptions<BrowserOptions> browser, EndUserSession session, IdentityTokenMinter minter)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON required",
                detail: "Send this request with Content-Type: application/json (so that no form on another site can send it).");
        }

        if (!browser.Value.SignInAvailable)
        {
            return SignInUnavailable();
        }

        if (session.Read(request) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                detail: "Sign in first (POST /browser/session): identity tokens are only for a signed-in end user.");
        }

        var (token, expiresAt) = minter.Mint(user);
        return TypedResults.Ok(new IdentityTokenAnswer(token, expiresAt));
    }

    private static ProblemHttpResult SignInUnavailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Sign-in not available",
            detail: "This SampleApi has no SampleApi:Browser:SigningSecret, so it cannot sign end users in.");
}

public sealed record BrowserConfig(string AuthServer, string PublishableKey, string Scope, bool SignInAvailable, SignedInUser? User);

public sealed record SignedInUser(string Id, string Name);

public sealed record SignInRequest(string? Name);

public sealed record IdentityTokenAnswer(string IdentityToken, DateTimeOffset ExpiresAt);
