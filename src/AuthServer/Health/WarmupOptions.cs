namespace AuthServer.Health;

/// <summary>
/// The hot-path warm-up before the instance reports ready (issue #15): rounds of token signing, validation, secret
/// hashing, form reading and answer writing, in memory, until the JIT has gone quiet or <see cref="MaxDuration"/>.
/// </summary>
public sealed class WarmupOptions
{
    public const string Section = "Warmup";

    public bool Enabled { get; set; } = true;

    /// <summary>Passes through the hot path per round; the JIT's compiled-method count is read after each round.</summary>
    public int IterationsPerRound { get; set; } = 100;

    /// <summary>After this long the instance reports ready, warm or not (at least one round is always run).</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(10);
}
