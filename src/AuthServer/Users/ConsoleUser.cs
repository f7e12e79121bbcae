using Microsoft.AspNetCore.Identity;

namespace AuthServer.Users;

/// <summary>A person who signs in to the console. Nobody signs up: people join by accepting an <see cref="Invitation"/>.</summary>
public sealed class ConsoleUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxEmailLength = 90; // so that "user:" + the email fits an audit actor

    public string DisplayName { get; set; } = "";
}
