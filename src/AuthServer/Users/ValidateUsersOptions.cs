using Microsoft.Extensions.Options;

namespace AuthServer.Users;

internal sealed class ValidateUsersOptions : IValidateOptions<UsersOptions>
{
    public ValidateOptionsResult Validate(string? name, UsersOptions options) =>
        options.InvitationLifetime <= TimeSpan.Zero ? ValidateOptionsResult.Fail("Users:InvitationLifetime must be positive.")
        : options.PublicUrl is { IsAbsoluteUri: false } ? ValidateOptionsResult.Fail("Users:PublicUrl must be an absolute URL, e.g. https://auth.example.com.")
        : ValidateOptionsResult.Success;
}
