using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Contract;

/// <summary>The served admin OpenAPI document passes Redocly's recommended rules with no error and no warning.</summary>
public sealed class AdminOpenApiLintTests
{
    [Fact]
    public async Task The_served_document_lints_clean_with_redocly()
    {
        var redocly = ExternalTool.Require(RepositoryFiles.PathOf("tools", "redocly", "node_modules", "@redocly", "cli", "bin", "cli.js"),
            "run `npm ci --prefix tools/redocly` (Node.js 20 or later; .ci/run does it).");
        var file = Path.Combine(Directory.CreateTempSubdirectory("authserver-openapi-").FullName, "admin.json");
        await File.WriteAllTextAsync(file, await AdminOpenApiDocument.FetchAsync());

        var (code, output, error) = await ExternalTool.RunAsync("node",
            [redocly, "lint", file, "--config", RepositoryFiles.PathOf("tools", "redocly", "redocly.yaml"), "--format", "json"],
            environment: new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        var problems = string.Join("\n", report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}"));
        Assert.True(code == 0, $"redocly exited with {code}: {problems} {error}");
        Assert.True(problems.Length == 0, problems);
        Assert.Equal((0, 0), (report.GetProperty("totals").GetProperty("errors").GetInt32(), report.GetProperty("totals").GetProperty("warnings").GetInt32()));
    }
}
