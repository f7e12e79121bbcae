using AuthServer.Signing;

namespace AuthServer.Tests.Infrastructure;

/// <summary>One folder of RS256 and ES256 signing certificates for the whole test run.</summary>
public static class TestCertificates
{
    private static readonly Lazy<string> SharedFolder = new(() => CreateFolder(SigningAlgorithms.RS256, SigningAlgorithms.ES256));

    public static string Folder => SharedFolder.Value;

    public static string CreateFolder(params string[] algorithms)
    {
        var folder = Directory.CreateTempSubdirectory("authserver-certs-").FullName;
        foreach (var algorithm in algorithms)
        {
            using var certificate = SigningCertificateGenerator.Create(algorithm, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));
            SigningCertificateGenerator.Save(certificate, algorithm, folder, password: null);
        }

        return folder;
    }
}
