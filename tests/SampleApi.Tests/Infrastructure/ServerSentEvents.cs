using System.Text;

namespace SampleApi.Tests.Infrastructure;

public sealed record ServerSentEvent(string Type, string Data);

/// <summary>Reads an event stream (text/event-stream) one event at a time.</summary>
public sealed class ServerSentEventReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken cancel)
    {
        string type = "message";
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new ServerSentEvent(type, data.ToString());
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line["data:".Length..].TrimStart());
            }
        }

        return null;
    }
}
