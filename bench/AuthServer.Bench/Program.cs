using AuthServer.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}\n{BenchOptions.Usage}");
    return 2;
}

return await new BenchRun(options, RepositoryRoot()).RunAsync();

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "AuthServer.sln")))
        {
            return folder.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from a build inside the repository (bench/run).");
}
