using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AuthServer.Hosting;

/// <summary>
/// Kestrel refuses a request whose header holds a byte outside ASCII with an empty 400 before any of AuthServer
/// runs. For the headers AuthServer reads as text of the caller's choosing, the bytes are let through (as
/// Latin-1) so that AuthServer's own rule answers: a problem naming the header. Every other header stays ASCII-only.
/// </summary>
public static class KestrelHeaderDecoding
{
    private static readonly HashSet<string> CallerText = new(StringComparer.OrdinalIgnoreCase) { "Idempotency-Key" };

    public static void Configure(KestrelServerOptions options) =>
        options.RequestHeaderEncodingSelector = name => CallerText.Contains(name) ? Encoding.Latin1 : null;
}
