using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>The CLI as a new user first meets it: the real binary, outside Development, in an empty folder.</summary>
public sealed class CliProcessTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("authserver-cli-").FullName;

    private static Dictionary<string, string> Production => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AuthServerProcess.FreeLoopbackPort()}",
    };

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("key", "list")]
    [InlineData("--bogus")]
    public async Task A_mistyped_command_is_one_line_and_exit_2_and_serves_nothing(params string[] args)
    {
        var (code, output, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.DoesNotContain("Now listening", output);
        Assert.StartsWith("error: ", Assert.Single(Lines(error)));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData(null)]
    public async Task Serve_or_settings_alone_start_the_server_with_those_settings(string? verb)
    {
        var port = AuthServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        string[] settings = [$"--Urls=http://127.0.0.1:{port}", $"--Signing:CertificatesPath={Path.Combine(_folder, "certs")}"];

        using var server = AuthServerProcess.StartIn(_folder, environment, verb is null ? settings : [verb, .. settings]);
        await server.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(60));

        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", server.Output);
        Assert.Single(Directory.GetFiles(Path.Combine(_folder, "certs"), "*.pfx"));
    }

    [Fact]
    public async Task Without_a_database_a_command_names_the_one_it_looked_for_and_creates_none()
    {
        var (code, output, error) = await Run("--json", "keys", "list");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.Contains(Path.Combine(_folder, "authserver.db"), line);
        Assert.Contains("migrate", line);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Migrate_creates_the_database_that_commands_then_use_and_status_names_it()
    {
        var database = Path.Combine(_folder, "elsewhere", "auth.db");
        var setting = $"--Database:ConnectionString=Data Source={database}";

        var migrated = await Run("migrate", setting);
        var created = await Run("accounts", "create", "--name", "Settings Corp", setting);
        var listed = await Run("accounts", "list", setting);
        var status = await Run("status", setting);

        Assert.True(migrated.Code == 0, migrated.Err);
        Assert.True(File.Exists(database));
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("Settings Corp", listed.Out);
        Assert.Equal(0, status.Code);
        Assert.Contains($"database: Sqlite {database}", status.Out);
        Assert.Contains("up to date", status.Out);
        Assert.False(File.Exists(Path.Combine(_folder, "authserver.db")));
    }

    [Fact]
    public async Task An_invalid_setting_is_the_same_one_line_as_at_server_start()
    {
        var (code, _, error) = await Run("migrate", "--ApiKeys:DefaultKeyLimit=-1");

        Assert.Equal(1, code);
        Assert.Equal("error: ApiKeys:DefaultKeyLimit cannot be negative.", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_settings_rule()
    {
        var (code, output, _) = await Run("--help");

        Assert.Equal(0, code);
        foreach (var command in new[] { "serve", "accounts", "scopes", "resources", "keys", "bootstrap", "health", "migrate", "status" })
        {
            Assert.Contains($"  {command}", output);
        }

        Assert.Contains("--Section:Key=value", output);
    }

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var process = AuthServerProcess.StartIn(_folder, Production, args);
        try
        {
            var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            return (code, process.Output, process.Error);
        }
        catch (OperationCanceledException)
        {
            return (-1, process.Output, process.Error);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
