using System.Net.Mail;
using AuthServer.Failures;
using AuthServer.Text;

namespace AuthServer.Users;

/// <summary>What an email address and a display name may be, after the one <see cref="TextRule"/>.</summary>
public static class PersonText
{
    public static string Email(string? email)
    {
        TextRule.Require("email", email);
        email = email?.Trim() ?? "";
        if (email.Length is 0 or > ConsoleUser.MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new InvalidFieldException("email", $"Enter an email address such as ada@example.com (at most {ConsoleUser.MaxEmailLength} characters).");
        }

        return email;
    }

    public static string DisplayName(string? name)
    {
        TextRule.Require("displayName", name);
        name = name?.Trim() ?? "";
        return name.Length is 0 or > ConsoleUser.MaxDisplayNameLength
            ? throw new InvalidFieldException("displayName", $"Enter your name (1 to {ConsoleUser.MaxDisplayNameLength} characters).")
            : name;
    }
}
