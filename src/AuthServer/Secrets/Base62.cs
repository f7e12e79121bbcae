using System.Numerics;
using System.Security.Cryptography;

namespace AuthServer.Secrets;

/// <summary>The alphabet of identifiers and secrets: letters and digits only, so a double-click selects them whole.</summary>
internal static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>Encodes an unsigned big-endian number in exactly <paramref name="width"/> digits.</summary>
    public static string Encode(ReadOnlySpan<byte> bigEndian, int width)
    {
        var value = new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true);
        var digits = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            value = BigInteger.DivRem(value, Alphabet.Length, out var remainder);
            digits[i] = Alphabet[(int)remainder];
        }

        if (!value.IsZero)
        {
            throw new ArgumentException($"The value does not fit in {width} base62 digits.", nameof(width));
        }

        return new string(digits);
    }

    public static string Encode(uint value, int width)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Encode(bytes, width);
    }

    public static bool IsBase62(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
