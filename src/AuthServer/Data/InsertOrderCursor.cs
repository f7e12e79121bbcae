namespace AuthServer.Data;

/// <summary>
/// Where a poller of an append-only table (identity IDs, rows never updated) stands. Identity values are handed out
/// when a row is inserted, not when its transaction commits, so a row can become visible after rows with higher IDs.
/// The cursor therefore keeps a floor: the highest ID below which every row has been seen. Pollers re-read from the
/// floor and skip the rows already seen above it; a missing ID (a rolled-back insert, an identity jump) stops the
/// floor only for <see cref="GapTimeout"/>, far longer than any of AuthServer's transactions.
/// </summary>
public sealed class InsertOrderCursor
{
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(30);

    private readonly HashSet<long> _seenAboveFloor = [];
    private DateTimeOffset? _gapSince;

    /// <summary>Every row with an ID up to this has been seen; -1 until <see cref="StartAt"/>.</summary>
    public long Floor { get; private set; } = -1;

    public bool Started => Floor >= 0;

    public void StartAt(long floor)
    {
        Floor = floor;
        _seenAboveFloor.Clear();
        _gapSince = null;
    }

    /// <summary>True the first time a row is seen.</summary>
    public bool See(long id) => id > Floor && _seenAboveFloor.Add(id);

    /// <summary>Moves the floor over every ID seen; over a missing one only once it has been missing for <see cref="GapTimeout"/>.</summary>
    public void Advance(DateTimeOffset now)
    {
        while (_seenAboveFloor.Count > 0)
        {
            if (_seenAboveFloor.Remove(Floor + 1))
            {
                Floor++;
                _gapSince = null;
                continue;
            }

            _gapSince ??= now;
            if (now - _gapSince < GapTimeout)
            {
                return;
            }

            Floor = _seenAboveFloor.Min() - 1;
            _gapSince = null;
        }
    }
}
