using System.Threading.Channels;
using AuthServer.Browser;
using AuthServer.Tokens;
using Microsoft.Extensions.Options;

namespace AuthServer.Events.Revocations;

/// <summary>
/// The revocations of the last <see cref="Retention"/> (the longest an access token lives, plus a minute of clock
/// skew), in memory, as <see cref="RevocationFeed"/> reads them from every instance's writes; what the stream replays
/// to a resource server that connects, and what it pushes to the connected ones. Older revocations are forgotten:
/// every token they could refuse has expired.
/// </summary>
public sealed class RevocationWindow(IOptions<TokenOptions> tokens, IOptions<BrowserOptions> browser, TimeProvider time)
{
    private const int MaxPending = 10_000;
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly List<Revocation> _recent = [];
    private readonly HashSet<Channel<RevocationItem>> _followers = [];
    private long _floor = -1;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public TimeSpan Retention { get; } = TimeSpan.FromTicks(Math.Max(tokens.Value.AccessTokenLifetime.Ticks, browser.Value.AccessTokenLifetime.Ticks)) + ClockSkew;

    /// <summary>When the feed last read every instance's events; the stream says it is current only while this is recent.</summary>
    public DateTimeOffset ReadAt
    {
        get { lock (_lock) { return _readAt; } }
    }

    public bool HasBeenRead => ReadAt != DateTimeOffset.MinValue;

    /// <summary>Adds what the feed read (possibly nothing) and moves the resume point to <paramref name="floor"/>.</summary>
    public void Publish(IReadOnlyList<Revocation> read, long floor, DateTimeOffset readAt)
    {
        lock (_lock)
        {
            var resumeFrom = _floor;
            _recent.AddRange(read);
            _recent.RemoveAll(r => r.RevokedAt < (time.GetUtcNow() - Retention).UtcDateTime);
            _floor = floor;
            _readAt = readAt;
            if (read.Count == 0 && floor == resumeFrom)
            {
                return;
            }

            foreach (var follower in _followers.ToList())
            {
                // A follower that cannot keep up is dropped; it reconnects and resumes from its last event ID.
                var delivered = read.All(r => follower.Writer.TryWrite(new RevocationItem(r, resumeFrom))) && follower.Writer.TryWrite(new RevocationItem(null, floor));
                if (!delivered)
                {
                    follower.Writer.TryComplete();
                    _followers.Remove(follower);
                }
            }
        }
    }

    /// <summary>
    /// The revocations a follower that has seen everything up to <paramref name="seenUpTo"/> is missing, and from now on
    /// everything read after them (each item carries the ID to resume from if the connection ends after it).
    /// </summary>
    public Following Follow(long? seenUpTo)
    {
        var channel = Channel.CreateBounded<RevocationItem>(new BoundedChannelOptions(MaxPending) { SingleReader = true });
        lock (_lock)
        {
            var from = seenUpTo ?? -1;
            var missing = _recent.Where(r => r.Id > from).OrderBy(r => r.Id).ToList();
            _followers.Add(channel);
            return new Following(missing, _floor, channel.Reader, () => Unfollow(channel));
        }
    }

    private void Unfollow(Channel<RevocationItem> channel)
    {
        lock (_lock)
        {
            _followers.Remove(channel);
        }
    }
}

/// <summary>A revocation to send (or, with none, the resume point after a batch), with the event ID to send it under.</summary>
public readonly record struct RevocationItem(Revocation? Revocation, long ResumeFrom);

public sealed record Following(IReadOnlyList<Revocation> Missing, long ResumeFrom, ChannelReader<RevocationItem> Next, Action Stop) : IDisposable
{
    public void Dispose() => Stop();
}
