using System.Diagnostics.CodeAnalysis;
using AuthServer.Secrets;
using AuthServer.Tokens;
using Microsoft.Extensions.Options;

namespace AuthServer.Users;

/// <summary>Invitation tokens (<c>authinv_</c> + 43 base62 characters, 256 random bits) and the console links that carry them.</summary>
public sealed class InvitationLinks(IOptions<UsersOptions> users, IOptions<TokenOptions> tokens)
{
    public const string Prefix = "authinv_";
    public const string AcceptPath = "/console/invitation";
    private const int BodyLength = 43;

    public static string NewToken() => Prefix + Base62.RandomString(BodyLength);

    public static bool IsWellFormed([NotNullWhen(true)] string? token) =>
        token is { Length: 8 + BodyLength } && token.StartsWith(Prefix, StringComparison.Ordinal) && Base62.IsBase62(token.AsSpan(Prefix.Length));

    public string For(string token)
    {
        var root = users.Value.PublicUrl ?? tokens.Value.Issuer;
        var path = $"{AcceptPath}?token={token}";
        return root is null ? path : new Uri(root, path).ToString();
    }
}
