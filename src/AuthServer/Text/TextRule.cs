using AuthServer.Failures;

namespace AuthServer.Text;

/// <summary>
/// The one rule for every name, identifier and description the admin API and the CLI accept, applied before any
/// format rule of its own: no control characters (C0, DEL, C1 — NUL included, which PostgreSQL cannot store), no
/// bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069, which make text display as other text) and
/// no unpaired surrogates (which are not Unicode text at all).
/// </summary>
public static class TextRule
{
    /// <summary>Throws a 400 naming <paramref name="field"/> when <paramref name="value"/> breaks the rule; null passes.</summary>
    public static void Require(string field, string? value)
    {
        if (value is not null && !IsAllowed(value))
        {
            throw new InvalidFieldException(field,
                $"{field} cannot contain control characters (such as NUL, a line break or ESC), bidirectional overrides or unpaired surrogates.");
        }
    }

    public static bool IsAllowed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
