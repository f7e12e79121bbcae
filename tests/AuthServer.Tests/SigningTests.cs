using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Failures;
using AuthServer.Hosting;
using AuthServer.Signing;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public sealed class SigningTests
{
    [Fact]
    public async Task Es256_can_be_selected_and_its_tokens_verify_against_the_jwks()
    {
        var world = new EcdsaWorld();
        await world.InitializeAsync();
        try
        {
            var key = await world.CreateKeyAsync(["invoices:read"]);
            var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

            var jwt = await world.Http.ValidateWithJwksAsync(token, TestWorld.InvoicesApi);
            Assert.Equal("ES256", jwt.Header.Alg);
            Assert.Equal("at+jwt", jwt.Header.Typ);
        }
        finally
        {
            await world.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_certificate_not_yet_valid_is_published_but_does_not_sign()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-rotation-").FullName;
        using var current = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var next = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddYears(2));
        SigningCertificateGenerator.Save(current, "RS256", folder, null);
        SigningCertificateGenerator.Save(next, "RS256", folder, null);

        var world = new RotationWorld(folder);
        await world.InitializeAsync();
        try
        {
            var key = await world.CreateKeyAsync(["invoices:read"]);
            var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
            var kids = JsonDocument.Parse(await world.Http.GetStringAsync("/.well-known/jwks")).RootElement
                .GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();

            Assert.Equal(current.Thumbprint, new JwtSecurityToken(token).Header.Kid);
            Assert.Contains(current.Thumbprint, kids);
            Assert.Contains(next.Thumbprint, kids);
        }
        finally
        {
            await world.DisposeAsync();
        }
    }

    [Fact]
    public void Outside_development_a_missing_certificate_is_a_clear_startup_error()
    {
        var empty = Directory.CreateTempSubdirectory("authserver-nocerts-").FullName;

        var error = Assert.Throws<StartupException>(() => Load(empty, generate: false));

        Assert.Contains("No valid RS256 signing certificate", error.Message);
        Assert.Contains(empty, error.Message);
        Assert.Empty(Directory.GetFiles(empty));
    }

    [Fact]
    public void In_development_a_missing_certificate_is_generated_into_the_folder_and_reused()
    {
        var empty = Directory.CreateTempSubdirectory("authserver-devcerts-").FullName;

        var first = Load(empty, generate: true);
        var second = Load(empty, generate: true);

        Assert.Single(Directory.GetFiles(empty, "signing-rs256-*.pfx"));
        Assert.Equal(first.Active!.Thumbprint, second.Active!.Thumbprint);
    }

    [Fact]
    public void The_newest_valid_certificate_of_the_configured_algorithm_signs()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-newest-").FullName;
        using var older = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(3));
        using var newer = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var ecdsa = SigningCertificateGenerator.Create("ES256", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var expired = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-2));
        foreach (var certificate in new[] { older, newer, ecdsa, expired })
        {
            SigningCertificateGenerator.Save(certificate, certificate.GetRSAPublicKey() is null ? "ES256" : "RS256", folder, null);
        }

        var keys = Load(folder, generate: false);

        Assert.Equal(newer.Thumbprint, keys.Active!.Thumbprint);
        Assert.Equal(new[] { older.Thumbprint, newer.Thumbprint, ecdsa.Thumbprint }.Order(), keys.Published.Select(c => c.Thumbprint).Order());
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    public void A_shared_secret_or_no_algorithm_is_refused_at_startup(string algorithm)
    {
        var error = Assert.Throws<StartupException>(() => Load(TestCertificates.Folder, generate: true, algorithm));

        Assert.Contains("RS256 or ES256", error.Message);
    }

    [Fact]
    public void A_wrong_certificate_password_is_a_clear_startup_error()
    {
        var folder = Directory.CreateTempSubdirectory("authserver-pw-").FullName;
        using (var certificate = SigningCertificateGenerator.Create("RS256", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)))
        {
            SigningCertificateGenerator.Save(certificate, "RS256", folder, "right");
        }

        var error = Assert.Throws<StartupException>(() => Load(folder, generate: false, password: "wrong"));

        Assert.Contains("Signing:CertificatePassword", error.Message);
    }

    private static SigningKeySet Load(string folder, bool generate, string algorithm = "RS256", string? password = null) =>
        SigningKeySet.Load(
            new SigningOptions { Algorithm = algorithm, CertificatesPath = folder, CertificatePassword = password },
            contentRoot: "/",
            generate,
            DateTimeOffset.UtcNow,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    private sealed class EcdsaWorld() : TestWorld(new Dictionary<string, string?> { ["Signing:Algorithm"] = "ES256" });

    private sealed class RotationWorld(string folder) : TestWorld(new Dictionary<string, string?> { ["Signing:CertificatesPath"] = folder });
}
