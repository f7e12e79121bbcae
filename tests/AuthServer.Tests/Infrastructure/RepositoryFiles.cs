namespace AuthServer.Tests.Infrastructure;

/// <summary>Files of this repository (tools, docs), found from the test binaries by walking up to AuthServer.sln.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AuthServer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AuthServer.sln not found above " + AppContext.BaseDirectory);
    }
}
