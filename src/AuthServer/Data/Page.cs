namespace AuthServer.Data;

/// <summary>One page of a list; <see cref="HasMore"/> says whether skipping further finds more.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Skip, int Take, bool HasMore);

public static class Paging
{
    public const int MaxPageSize = 200;

    public static void Validate(int skip, int take)
    {
        if (skip < 0)
        {
            throw new Failures.InvalidFieldException("skip", "skip cannot be negative.");
        }

        if (take is < 1 or > MaxPageSize)
        {
            throw new Failures.InvalidFieldException("take", $"take is between 1 and {MaxPageSize}.");
        }
    }

    /// <summary>Makes a page from up to <paramref name="take"/> + 1 rows read (the extra one only tells that there is more).</summary>
    public static Page<T> From<T>(IReadOnlyList<T> rows, int skip, int take) => new(rows.Take(take).ToList(), skip, take, rows.Count > take);
}
