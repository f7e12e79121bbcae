namespace AuthServer.Signing;

/// <summary>
/// When each rotated key is announced, signs, retires and is removed, from the rows alone, so every instance that
/// reads the same rows at the same time decides the same. A key signs from its <see cref="SigningKey.ActivatesAt"/>
/// until a later generation activates; it stays published for <paramref name="retention"/> after that (the longest
/// token lifetime plus clock skew), then is removed.
/// </summary>
public static class SigningKeySchedule
{
    public static SigningKey? Active(IEnumerable<SigningKey> keys, DateTime now) =>
        keys.Where(key => key.ActivatesAt <= now).MaxBy(key => key.Generation);

    /// <summary>When <paramref name="key"/> stopped signing: the activation of the first later generation that has activated.</summary>
    public static DateTime? RetiredAt(SigningKey key, IEnumerable<SigningKey> keys, DateTime now) =>
        keys.Where(other => other.Generation > key.Generation && other.ActivatesAt <= now)
            .Select(other => (DateTime?)other.ActivatesAt)
            .Min();

    public static bool IsRemovable(SigningKey key, IReadOnlyCollection<SigningKey> keys, DateTime now, TimeSpan retention) =>
        RetiredAt(key, keys, now) is { } retired && retired + retention <= now;

    /// <summary>
    /// When the next key should activate, if one must be made now; null when none is due. None is made while one is
    /// announced and not yet active. The very first key signs at once unless a certificate from files signs meanwhile.
    /// </summary>
    public static DateTime? NextActivation(
        IReadOnlyCollection<SigningKey> keys, DateTime now, string algorithm, SigningRotationOptions options, bool fileKeySigns)
    {
        if (keys.Any(key => key.ActivatesAt > now))
        {
            return null;
        }

        var active = Active(keys, now);
        if (active is null)
        {
            return fileKeySigns ? now + options.AnnouncePeriod : now;
        }

        var due = active.Algorithm != algorithm || now >= active.ActivatesAt + options.ActivePeriod - options.AnnouncePeriod;
        return due ? now + options.AnnouncePeriod : null;
    }
}
