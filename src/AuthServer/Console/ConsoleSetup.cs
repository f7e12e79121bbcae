using AuthServer.Console.SingleSignOn;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Console;

/// <summary>
/// The key-management console under <c>/console</c>: Razor Pages with cookie sign-in (ASP.NET Core Identity),
/// antiforgery on every form, and the security headers of <see cref="ConsoleHeaders"/>.
/// </summary>
public static class ConsoleSetup
{
    public const string BasePath = "/console";
    public const string Policy = "console";

    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Secure cookies everywhere but Development, whose plain HTTP from loopback would otherwise lose them.
        var secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

        services.AddRazorPages(options =>
            {
                options.RootDirectory = "/Console/Pages";
                options.Conventions.AuthorizeFolder("/", Policy);
                options.Conventions.AllowAnonymousToPage("/SignIn");
                options.Conventions.AllowAnonymousToPage("/Invitation");
                options.Conventions.AllowAnonymousToPage("/SingleSignOn");
            })
            .AddMvcOptions(options => options.Filters.Add<ConsoleAccessFilter>());
        new IdentityBuilder(typeof(ConsoleUser), typeof(IdentityRole), services).AddSignInManager(); // people and stores: PeopleSetup
        services.AddAuthentication().AddIdentityCookies();
        services.AddConsoleSingleSignOn(configuration, secure);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy =>
            policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "authserver.console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = secure;
            cookie.Cookie.SameSite = SameSiteMode.Strict; // the console is never entered from another site's form or link with a session
            cookie.Cookie.Path = BasePath;
            cookie.LoginPath = BasePath + "/sign-in";
            cookie.LogoutPath = BasePath + "/sign-out";
            cookie.AccessDeniedPath = BasePath + "/sign-in";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });

        // Every request checks the person's security stamp: a removal or a role change takes effect on their next request.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "authserver.console.antiforgery";
            options.Cookie.SecurePolicy = secure;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.Path = BasePath;
            options.FormFieldName = "__csrf";
            options.SuppressXFrameOptionsHeader = true; // ConsoleHeaders sends DENY on every console response
        });
        services.AddHttpContextAccessor();
        services.AddScoped<ConsoleActor>();
        return services;
    }

    /// <summary>The console's own headers and error pages, early in the pipeline: they also cover the cookie's checks.</summary>
    public static WebApplication UseConsoleResponses(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(BasePath), console => console
            .UseMiddleware<ConsoleHeaders>()
            .UseMiddleware<ConsoleErrorPages>());
        return app;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapRazorPages();
        return app;
    }
}
