using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Secrets;

namespace AuthServer.Tests;

public sealed class ClientSecretTests
{
    [Fact]
    public void Generated_secrets_are_recognisable_unique_and_well_formed()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => ClientSecret.Generate()).ToList();

        Assert.Equal(1000, secrets.Distinct().Count());
        Assert.All(secrets, secret =>
        {
            Assert.StartsWith("authsk_", secret);
            Assert.Equal(ClientSecret.Length, secret.Length);
            Assert.True(ClientSecret.IsWellFormed(secret));
            Assert.All(secret["authsk_".Length..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        });
    }

    [Theory]
    [InlineData("test")]
    [InlineData("live")]
    public void Secrets_with_an_environment_name_it_in_their_prefix_and_are_well_formed(string environment)
    {
        var secret = ClientSecret.Generate(environment);

        Assert.StartsWith($"authsk_{environment}_", secret);
        Assert.Equal(ClientSecret.LengthWithEnvironment, secret.Length);
        Assert.True(ClientSecret.TryReadEnvironment(secret, out var read));
        Assert.Equal(environment, read);
        Assert.True(ClientSecret.LooksLikeSecret(secret));
        Assert.Equal("authsk_[redacted] and more", ClientSecret.Redact(secret + " and more"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientSecret.Generate("prod"));
    }

    [Fact]
    public void The_pattern_the_readme_gives_scanners_matches_every_shape_and_the_shape_pattern_agrees()
    {
        var readme = new System.Text.RegularExpressions.Regex("^authsk_(?:(?:test|live)_)?[0-9A-Za-z]{49}$");
        foreach (var secret in new[] { ClientSecret.Generate(), ClientSecret.Generate("test"), ClientSecret.Generate("live") })
        {
            Assert.Matches(readme, secret);
            Assert.Matches("^" + ClientSecret.ShapePattern + "$", secret);
            Assert.True(ClientSecret.IsWellFormed(secret));
        }

        Assert.True(ClientSecret.TryReadEnvironment(ClientSecret.Generate(), out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Any_single_typo_or_truncation_fails_the_checksum()
    {
        foreach (var secret in new[] { ClientSecret.Generate(), ClientSecret.Generate("test"), ClientSecret.Generate("live") })
        {
            AnyTypoFails(secret);
        }
    }

    private static void AnyTypoFails(string secret)
    {
        for (var i = "authsk_".Length; i < secret.Length; i++)
        {
            var typo = string.Concat(secret.AsSpan(0, i), secret[i] == 'x' ? "y" : "x", secret.AsSpan(i + 1));
            Assert.False(ClientSecret.IsWellFormed(typo), $"typo at {i} passed");
        }

        Assert.False(ClientSecret.IsWellFormed(secret.AsSpan()[..^1]));
        Assert.False(ClientSecret.IsWellFormed(secret + "a"));
        Assert.False(ClientSecret.IsWellFormed(secret.Replace("authsk_", "authsk-", StringComparison.Ordinal)));
        Assert.False(ClientSecret.IsWellFormed(""));
    }

    [Fact]
    public void The_stored_hash_verifies_only_the_secret_and_does_not_contain_it()
    {
        var secret = ClientSecret.Generate();
        var hash = ClientSecret.Hash(secret);

        Assert.True(ClientSecret.Matches(secret, hash));
        Assert.False(ClientSecret.Matches(ClientSecret.Generate(), hash));
        Assert.False(ClientSecret.Matches(secret, null));
        Assert.False(ClientSecret.Matches(secret, "sha256:not-base64!"));
        Assert.False(ClientSecret.Matches(secret, "AQAAAAEAACcQAAAAE..."));
        Assert.DoesNotContain(secret[7..], hash);
    }

    [Fact]
    public void Key_ids_have_a_fixed_shape()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ApiKeyId.New()).ToList();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^ak_[0-9A-Za-z]{16}$", id));
    }
}
