namespace AuthServer.Bench;

/// <summary>
/// A fresh server's answers per second from its first request. <see cref="SettledPerSecond"/> is the median of the
/// last <see cref="SettledSeconds"/> whole seconds of the same load: each figure is read as a ratio to it.
/// </summary>
internal sealed record StartupResult(
    string Id,
    string Title,
    double ReadySeconds,
    double CpuSecondsToReady,
    IReadOnlyList<long> PerSecond,
    double SettledPerSecond,
    IReadOnlyList<double> Ratios,
    double FirstTenSecondsRatio,
    int? SecondsTo80Percent,
    long Non2xx,
    long Unexpected)
{
    public const int SettledSeconds = 5;

    /// <param name="seconds">The load's length: a last, partial second (answers in flight at the end) is left out.</param>
    public static StartupResult From(string id, string title, TimeSpan ready, TimeSpan cpuAtReady, WrkResult wrk, int seconds)
    {
        var perSecond = (wrk.PerSecond ?? []).Take(seconds).ToList();
        if (perSecond.Count < SettledSeconds * 2)
        {
            throw new InvalidOperationException($"wrk counted answers in {perSecond.Count} seconds only.");
        }

        var settled = Median(perSecond.TakeLast(SettledSeconds));
        var ratios = perSecond.Select(n => Math.Round(n / settled, 3)).ToList();
        return new StartupResult(id, title, Math.Round(ready.TotalSeconds, 2), Math.Round(cpuAtReady.TotalSeconds, 2), perSecond, settled, ratios,
            Math.Round(perSecond.Take(10).Average() / settled, 3), SecondsTo(ratios, 0.8), wrk.Non200, wrk.Unexpected);
    }

    /// <summary>The end of the first second from which this one and the next two reach <paramref name="share"/> of settled.</summary>
    private static int? SecondsTo(List<double> ratios, double share)
    {
        for (var i = 0; i + 2 < ratios.Count; i++)
        {
            if (ratios[i] >= share && ratios[i + 1] >= share && ratios[i + 2] >= share)
            {
                return i + 1;
            }
        }

        return null;
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }
}

/// <summary>The 1 s slices of a scenario's warm-up, and whether the last ones agreed.</summary>
internal sealed record WarmupResult(int Seconds, bool Stable, IReadOnlyList<double> Slices);
