using AuthServer.Failures;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AuthServer.Console.SingleSignOn;

/// <summary>
/// The optional OpenID Connect sign-in: ASP.NET Core's handler signs into Identity's external cookie, and
/// <see cref="Pages.SingleSignOnModel"/> turns that into a console session for a person who already exists.
/// </summary>
public static class SingleSignOnSetup
{
    public const string Scheme = "sso";
    public const string CallbackPath = ConsoleSetup.BasePath + "/signin-sso";

    public static IServiceCollection AddConsoleSingleSignOn(this IServiceCollection services, IConfiguration configuration, CookieSecurePolicy secure)
    {
        services.AddOptions<SingleSignOnOptions>().Bind(configuration.GetSection(SingleSignOnOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SingleSignOnOptions>, ValidateSingleSignOnOptions>();
        var settings = StartupSettings.Bind<SingleSignOnOptions>(configuration, SingleSignOnOptions.Section);
        if (!settings.Enabled)
        {
            return services;
        }

        var valid = new ValidateSingleSignOnOptions().Validate(null, settings);
        if (valid.Failed)
        {
            throw new StartupException(valid.FailureMessage);
        }

        services.AddAuthentication().AddOpenIdConnect(Scheme, settings.DisplayName, oidc =>
        {
            oidc.Authority = settings.Authority!.ToString();
            oidc.RequireHttpsMetadata = settings.Authority.Scheme == Uri.UriSchemeHttps;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = settings.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.UsePkce = true;
            oidc.BackchannelTimeout = TimeSpan.FromSeconds(10); // a provider that does not answer holds the sign-in 10 s, not 60
            oidc.Scope.Add("email"); // beside the handler's openid and profile

            oidc.MapInboundClaims = false; // the provider's own claim names: sub, email, email_verified
            oidc.SaveTokens = false; // the console needs who the person is, not the provider's tokens
            oidc.SignInScheme = IdentityConstants.ExternalScheme;
            oidc.CallbackPath = CallbackPath;
            oidc.CorrelationCookie.SecurePolicy = secure;
            oidc.NonceCookie.SecurePolicy = secure;
            oidc.CorrelationCookie.Path = ConsoleSetup.BasePath;
            oidc.NonceCookie.Path = ConsoleSetup.BasePath;
            // The provider answers with a top-level GET (response mode query), which carries Lax cookies; None would
            // need Secure, which plain-HTTP Development on loopback cannot give.
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            // A callback that cannot be trusted (no correlation cookie, a state or code that does not check out, the
            // provider's error): the handler has logged why; the person sees the console's "did not complete" page.
            oidc.Events.OnRemoteFailure = context =>
            {
                context.HandleResponse();
                context.Response.Redirect(ConsoleSetup.BasePath + "/sign-in/sso");
                return Task.CompletedTask;
            };
        });
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ExternalScheme, cookie =>
        {
            cookie.Cookie.Name = "authserver.console.sso";
            cookie.Cookie.Path = ConsoleSetup.BasePath;
            cookie.Cookie.SecurePolicy = secure;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax; // it arrives with the provider's redirect, a navigation from another site
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        return services;
    }
}
