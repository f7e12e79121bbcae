namespace AuthServer.Signing;

/// <summary>
/// A signing key AuthServer made (<see cref="SigningOptions.Rotation"/>): published from its creation, signing from
/// <see cref="ActivatesAt"/> until the next generation activates, removed once that key's last token has expired.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The key's <c>kid</c>.</summary>
    public required string Id { get; init; }

    /// <summary>1, 2, 3…; unique, so that of instances racing to make the next key only one inserts it.</summary>
    public required int Generation { get; init; }

    public required string Algorithm { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime ActivatesAt { get; init; }

    /// <summary>The PKCS#8 private key, encrypted with Data Protection (<see cref="SigningKeyMaterial"/>).</summary>
    public required string ProtectedPrivateKey { get; init; }
}
