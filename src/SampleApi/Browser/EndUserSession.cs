using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace SampleApi.Browser;

/// <summary>
/// The signed-in sample end user, in cookie <c>sample_end_user</c> (path <c>/browser</c>, HttpOnly,
/// SameSite=Strict), protected with Data Protection so that a page cannot claim to be another user.
/// </summary>
public sealed class EndUserSession(IDataProtectionProvider protection)
{
    public const string CookieName = "sample_end_user";
    public const string CookiePath = "/browser";

    private readonly IDataProtector _protector = protection.CreateProtector("SampleApi.Browser.EndUserSession.v1");

    public EndUser? Read(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var user = JsonSerializer.Deserialize<StoredUser>(_protector.Unprotect(value));
            return user is { Id: { Length: > 0 } id, Name: { Length: > 0 } name } ? new EndUser(id, name) : null;
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null; // a cookie of an older key ring or a tampered one: signed out
        }
    }

    public void SignIn(HttpResponse response, EndUser user) =>
        response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(new StoredUser(user.Id, user.Name))), Options(response));

    public void SignOut(HttpResponse response) => response.Cookies.Delete(CookieName, Options(response));

    private static CookieOptions Options(HttpResponse response) => new()
    {
        Path = CookiePath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = response.HttpContext.Request.IsHttps,
        IsEssential = true,
    };

    private sealed record StoredUser(string? Id, string? Name);
}
