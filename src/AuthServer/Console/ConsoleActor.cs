using System.Security.Claims;
using AuthServer.Audit;
using AuthServer.Users;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Console;

/// <summary>The person signed in to the console: their user ID and how the audit log names them.</summary>
public sealed class ConsoleActor(UserManager<ConsoleUser> users, IHttpContextAccessor http)
{
    public string UserId(ClaimsPrincipal principal) => users.GetUserId(principal) ?? throw new InvalidOperationException("Not signed in.");

    public Actor For(ClaimsPrincipal principal)
    {
        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue(ClaimTypes.Name) ?? UserId(principal);
        return Actor.Person(email, http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
