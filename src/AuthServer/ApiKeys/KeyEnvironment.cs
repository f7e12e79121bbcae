namespace AuthServer.ApiKeys;

/// <summary>
/// Whether a key is for trying things out (<see cref="Test"/>) or for production (<see cref="Live"/>), fixed at
/// creation. Keys made before environments existed are live. The environment shows in the secret's prefix
/// (<c>authsk_test_…</c>), in the key's tokens and introspection answers, and decides which scopes the key may
/// hold (<see cref="KeyEnvironments.FirstScopeClosedTo"/>).
/// </summary>
public enum KeyEnvironment
{
    Live,
    Test,
}
