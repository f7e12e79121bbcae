using System.Security.Cryptography;
using System.Text;

namespace SampleApi.Browser;

/// <summary>A sample end user, signed in by name alone: a stand-in for the customer's own sign-in.</summary>
public sealed record EndUser(string Id, string Name)
{
    public const int MaxNameLength = 60;
    private const int MaxSlugLength = 40;

    /// <summary>The user of a valid name (1 to <see cref="MaxNameLength"/> characters, no control characters), else null.</summary>
    public static EndUser? Named(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return null;
        }

        return new EndUser("user-" + Slug(trimmed), trimmed);
    }

    /// <summary>
    /// Lower-case ASCII letters and digits, other runs as one hyphen; a name with none of them (another script)
    /// is named by a hash, so that it still has a stable ID.
    /// </summary>
    private static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var character in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(character))
            {
                slug.Append(character);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        if (text.Length == 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.Normalize(NormalizationForm.FormC))))[..12];
        }

        return text.Length <= MaxSlugLength ? text : text[..MaxSlugLength].TrimEnd('-');
    }
}
